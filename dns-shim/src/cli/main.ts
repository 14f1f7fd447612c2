import { hostname } from 'node:os';
import { createLogger, formatHelp, MeshplugError, parseCommandLine, type CommandSpec, type Logger } from '@meshplug/plugin-api';
import { DNS_SHIM_DEFAULTS } from '../config/dns-shim-options.js';
import { startDnsShim } from './start-dns-shim.js';

export const DNS_COMMAND: CommandSpec = {
  usage: 'meshplug dns --config-url URL [--listen IP:PORT] [--upstream IP:PORT ...] [options]',
  description:
    'dns-shim: the pod-local DNS server. Answers the mesh names of the component\'s dependencies with\n' +
    'their loopback VIPs and forwards every other question to the upstream resolver (cached).',
  flags: {
    'config-url': {
      type: 'string',
      description: 'discover-service: base URL, or the full /v1/mesh/{namespace}/{service} URL',
    },
    namespace: { type: 'string', description: 'component namespace, with a base --config-url (env NAMESPACE also works)' },
    service: { type: 'string', description: 'component service name, with a base --config-url (env SERVICE_NAME also works)' },
    listen: { type: 'string', description: 'UDP and TCP address to serve', default: DNS_SHIM_DEFAULTS.listen },
    upstream: {
      type: 'string',
      multiple: true,
      description: 'upstream resolver IP:PORT, repeatable; used when the mesh table names none',
    },
    'state-dir': { type: 'string', description: 'directory shared with mesh-proxy (mesh.json, dns.json)' },
    metrics: {
      type: 'string',
      description: 'address of /stats and /ready, or "off"',
      default: '127.0.0.1:15053',
    },
    'proxy-id': { type: 'string', description: 'name sent to discover-service (default: POD_NAME or the host name)' },
    'token-file': {
      type: 'string',
      description: 'bearer token for discover-service --auth tokenreview, re-read per request (the injector sets it)',
    },
    'upstream-timeout-ms': {
      type: 'string',
      description: 'bound on a forwarded question before SERVFAIL, ms',
      default: String(DNS_SHIM_DEFAULTS.upstreamTimeoutMs),
    },
    'log-level': { type: 'string', description: 'pino log level', default: 'info' },
  },
};

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** What runCli reads and writes besides its arguments; tests pass their own. */
export interface CliIo {
  env?: NodeJS.ProcessEnv;
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
}

/**
 * `meshplug dns`: returns an exit code on --help or a start failure, otherwise
 * keeps serving until SIGTERM/SIGINT.
 */
export async function runCli(command: string, argv: readonly string[], io: CliIo = {}): Promise<number | undefined> {
  const env = io.env ?? process.env;
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let logger: Logger | undefined;
  try {
    const parsed = parseCommandLine(DNS_COMMAND, argv, env);
    if (parsed.help) {
      stdout.write(formatHelp(DNS_COMMAND));
      return 0;
    }
    const v = parsed.values;
    logger = createLogger(`meshplug-${command}`, { level: text(v['log-level']) ?? 'info' });
    const metrics = text(v.metrics);
    const timeout = Number(v['upstream-timeout-ms']);
    const running = await startDnsShim({
      shim: {
        listen: text(v.listen) ?? DNS_SHIM_DEFAULTS.listen,
        upstreams: (v.upstream as string[] | undefined) ?? [],
        upstreamTimeoutMs: timeout,
        upstreamAttemptTimeoutMs: Math.min(DNS_SHIM_DEFAULTS.upstreamAttemptTimeoutMs, timeout),
      },
      ...(text(v['config-url']) === undefined ? {} : { configUrl: text(v['config-url']) }),
      ...optional('namespace', text(v.namespace) ?? text(env.NAMESPACE)),
      ...optional('service', text(v.service) ?? text(env.SERVICE_NAME)),
      ...optional('stateDir', text(v['state-dir'])),
      ...optional('tokenFile', text(v['token-file'])),
      ...optional('metricsListen', metrics === 'off' ? undefined : metrics),
      proxyId: text(v['proxy-id']) ?? text(env.POD_NAME) ?? hostname(),
      logger,
    });
    const shutdown = (signal: string): void => {
      logger?.info({ signal }, 'stopping');
      void running.stop().then(() => {
        process.exitCode = 0;
      });
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
    return undefined;
  } catch (err) {
    const message = err instanceof MeshplugError ? `${err.code}: ${err.message}` : String(err);
    if (logger !== undefined) logger.error({ err: message }, 'dns-shim failed to start');
    stderr.write(`meshplug ${command}: ${message}\n`);
    return 2;
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
