import { createLogger, formatHelp, MeshplugError, parseCommandLine, tokenFromFile, type CommandSpec } from '@meshplug/plugin-api';
import { MeshProxyErrors } from '../errors.js';
import { MeshProxy } from '../mesh-proxy.js';
import { useBaselineWasmCompiler } from './baseline-wasm.js';
import { PROXY_DEFAULTS, parseInboundPorts, type EmbeddedDnsOptions, type ProxyOptions } from '../options/proxy-options.js';

export const PROXY_COMMAND: CommandSpec = {
  usage: 'meshplug proxy --config-url URL [options]',
  description:
    'mesh-proxy, the sidecar data plane: follows /v1/mesh/{namespace}/{service} on discover-service and\n' +
    'forwards inbound (0.0.0.0:<outer port> -> 127.0.0.1:<port>) and outbound (<vip>:<port> -> endpoints) traffic;\n' +
    'with --dns-listen it also serves the pod\'s DNS (what `meshplug dns` does), in the same process.',
  flags: {
    'config-url': { type: 'string', description: 'discover-service base URL, e.g. http://127.0.0.1:6100' },
    namespace: { type: 'string', description: 'namespace of the component (else $NAMESPACE)' },
    service: { type: 'string', description: 'service name of the component (else $SERVICE_NAME)' },
    'proxy-id': { type: 'string', description: 'name reported to discover-service (else the host name)' },
    admin: { type: 'string', description: 'admin API address', default: PROXY_DEFAULTS.adminAddress },
    'state-dir': { type: 'string', description: 'directory of the last applied configuration (none when unset)' },
    bind: { type: 'string', description: 'address inbound listeners bind', default: PROXY_DEFAULTS.bindAddress },
    'drain-timeout': { type: 'string', description: 'drain timeout on SIGTERM, ms', default: String(PROXY_DEFAULTS.drainTimeoutMs) },
    'drain-idle-grace': {
      type: 'string',
      description: 'while draining, ms before idle keep-alive connections are closed (requests on them are still served)',
      default: String(PROXY_DEFAULTS.drainIdleGraceMs),
    },
    'log-level': { type: 'string', description: 'pino log level', default: 'info' },
    'token-file': { type: 'string', description: 'bearer token file for discover-service access control, re-read on every request (set by the injector)' },
    'report-interval': {
      type: 'string',
      description: 'seconds between traffic reports to discover-service (POST /v1/proxies/report); 0 turns them off',
      default: String(PROXY_DEFAULTS.reportIntervalSeconds),
    },
    inbound: { type: 'string', description: "the pod's inbound ports NAME:PORT:OUTER_PORT,... (set by the injector); default: from the mesh document" },
    'dns-listen': {
      type: 'string',
      description: "also serve the pod's DNS (dns-shim) from this process on IP:PORT, fed from the same mesh document (the injector: 127.0.0.1:53); none when unset",
    },
    'dns-upstream': {
      type: 'string',
      multiple: true,
      description: 'with --dns-listen: upstream resolver IP:PORT, repeatable (comma-separated in the environment); used while the mesh table names none',
    },
    'dns-metrics': { type: 'string', description: 'with --dns-listen: address of dns-shim\'s own /stats and /ready, or "off"', default: 'off' },
  },
};

/** The embedded DNS options of the command line; undefined without --dns-listen, where the other DNS flags are an error. */
function dnsOptions(values: Record<string, unknown>): EmbeddedDnsOptions | undefined {
  const listen = str(values['dns-listen']);
  const upstreams = (values['dns-upstream'] as string[] | undefined) ?? [];
  const metrics = str(values['dns-metrics']);
  if (listen === undefined) {
    if (upstreams.length > 0 || (metrics !== undefined && metrics !== 'off')) {
      throw new MeshProxyErrors.MESH_ERR_INVALID_OPTIONS('--dns-upstream and --dns-metrics need --dns-listen');
    }
    return undefined;
  }
  return { listen, upstreams, ...(metrics === undefined || metrics === 'off' ? {} : { metricsListen: metrics }) };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Where the command writes usage text; injectable for tests. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** `meshplug proxy`: runs until SIGTERM/SIGINT, then drains and resolves with the exit code. */
export async function runCli(
  command: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  if (command !== 'proxy') {
    io.stderr.write(`mesh-proxy: unknown command '${command}'\n`);
    return 2;
  }
  let options: ProxyOptions;
  let logLevel: string;
  try {
    const { values, help } = parseCommandLine(PROXY_COMMAND, argv, env);
    if (help) {
      io.stdout.write(formatHelp(PROXY_COMMAND));
      return 0;
    }
    const configUrl = str(values['config-url']);
    if (configUrl === undefined) throw new MeshProxyErrors.MESH_ERR_INVALID_OPTIONS('--config-url is required');
    const drain = Number(values['drain-timeout']);
    const dns = dnsOptions(values);
    logLevel = str(values['log-level']) ?? 'info';
    options = {
      configUrl,
      namespace: str(values.namespace) ?? env.NAMESPACE ?? '',
      service: str(values.service) ?? env.SERVICE_NAME ?? '',
      adminAddress: str(values.admin),
      stateDir: str(values['state-dir']),
      bindAddress: str(values.bind),
      drainTimeoutMs: drain,
      drainIdleGraceMs: Number(values['drain-idle-grace']),
      reportIntervalSeconds: Number(values['report-interval']),
      ...(str(values['proxy-id']) ? { proxyId: str(values['proxy-id']) } : {}),
      ...(str(values['token-file']) ? { token: tokenFromFile(str(values['token-file'])!) } : {}),
      ...(str(values.inbound) ? { inbound: parseInboundPorts(str(values.inbound)!) } : {}),
      ...(dns === undefined ? {} : { dns }),
    };
  } catch (err) {
    io.stderr.write(`meshplug proxy: ${(err as Error).message}\n\n${formatHelp(PROXY_COMMAND)}`);
    return 2;
  }
  useBaselineWasmCompiler();
  const logger = createLogger('mesh-proxy', { level: logLevel, destination: io.stdout });
  let proxy: MeshProxy;
  try {
    proxy = new MeshProxy({ ...options, logger });
    await proxy.start();
  } catch (err) {
    logger.fatal({ err, code: err instanceof MeshplugError ? err.code : undefined }, 'mesh-proxy failed to start');
    return 1;
  }
  return new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      logger.info({ signal }, 'signal received; draining');
      // The drain has its own deadline; this one only guards against a stuck close.
      setTimeout(() => process.exit(1), proxy.options.drainTimeoutMs + 5000).unref();
      proxy.stop().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error({ err }, 'drain failed');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
