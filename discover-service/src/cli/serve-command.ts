import { createLogger, formatHelp, parseCommandLine, PluginApiErrors, type CommandSpec, type Logger } from '@meshplug/plugin-api';
import { buildServer, type DiscoverServer } from '../http/build-server.js';
import { Resolver } from '../resolve/resolver.js';
import { FileSource } from '../sources/file-source.js';
import type { Source } from '../sources/source.js';
import { Store } from '../store/store.js';
import type { CliIo } from './cli-io.js';
import { parseListen } from './listen-address.js';

export const serveSpec: CommandSpec = {
  usage: 'meshplug serve --source file:PATH|kube [--listen 0.0.0.0:6100] [options]',
  description:
    'Run discover-service: read Services, EndpointSlices and meshplug ConfigMaps from a YAML file ' +
    '(re-read on change) or the Kubernetes API, and serve DISCOVER_URL, the sidecar config API and the ops API.',
  flags: {
    source: { type: 'string', description: 'file:PATH (multi-document YAML) or kube' },
    listen: { type: 'string', description: 'address to serve on, HOST:PORT', default: '0.0.0.0:6100' },
    'legacy-endpoints': { type: 'boolean', description: 'also read core/v1 Endpoints for Services without EndpointSlices', default: false },
    'cluster-domain': { type: 'string', description: 'cluster DNS domain used in mesh names', default: 'cluster.local' },
    'dns-upstream': {
      type: 'string',
      multiple: true,
      description: 'upstream DNS (IP:PORT) written into sidecar DNS tables; repeat the flag or comma-separate; default: dns-shim --upstream',
    },
    kubeconfig: { type: 'string', description: 'kubeconfig file for --source kube; default KUBECONFIG, ~/.kube/config or in-cluster' },
    'log-level': { type: 'string', description: 'debug, info, warn or error', default: 'info' },
  },
};

/** The validated command line of `meshplug serve`. */
export interface ServeConfig {
  source: { kind: 'kube'; kubeconfig?: string } | { kind: 'file'; path: string };
  host: string;
  port: number;
  legacyEndpoints: boolean;
  clusterDomain: string;
  dnsUpstream: string[];
  logLevel: string;
}

/** A started discover-service: listening now, `ready` once its source delivered its first full list. */
export interface RunningServe {
  url: string;
  server: DiscoverServer;
  resolver: Resolver;
  ready: Promise<void>;
  close(): Promise<void>;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function parseSource(value: string | undefined, kubeconfig: string | undefined): ServeConfig['source'] {
  if (value === 'kube') return kubeconfig === undefined ? { kind: 'kube' } : { kind: 'kube', kubeconfig };
  if (value?.startsWith('file:') && value.length > 'file:'.length) return { kind: 'file', path: value.slice('file:'.length) };
  throw new PluginApiErrors.API_ERR_INVALID_OPTION(`--source ${value ?? '(missing)'}: use file:PATH or kube`);
}

/** Parses and checks `meshplug serve` arguments; `undefined` means `--help` was asked for. */
export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ServeConfig | undefined {
  const { values, positionals, help } = parseCommandLine(serveSpec, argv, env);
  if (help) return undefined;
  if (positionals.length > 0) throw new PluginApiErrors.API_ERR_INVALID_OPTION(`unexpected argument '${positionals[0]}'`);
  const { host, port } = parseListen(values.listen as string);
  const logLevel = values['log-level'] as string;
  if (!LOG_LEVELS.includes(logLevel)) throw new PluginApiErrors.API_ERR_INVALID_OPTION(`--log-level ${logLevel}: use ${LOG_LEVELS.join(', ')}`);
  return {
    source: parseSource(values.source as string | undefined, values.kubeconfig as string | undefined),
    host,
    port,
    legacyEndpoints: values['legacy-endpoints'] === true,
    clusterDomain: values['cluster-domain'] as string,
    dnsUpstream: ((values['dns-upstream'] as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean),
    logLevel,
  };
}

/** Wires source -> Store -> Resolver -> HTTP server and starts listening before the source is ready (/readyz says 503 until then). */
export async function startServe(config: ServeConfig, logger: Logger): Promise<RunningServe> {
  let source: Source;
  if (config.source.kind === 'kube') {
    // Loaded only here: the Kubernetes client is large and file mode (the local demo) never needs it.
    const { KubeSource } = await import('../sources/kube-source.js');
    const kubeconfig = config.source.kubeconfig;
    source = new KubeSource({ legacyEndpoints: config.legacyEndpoints, logger, ...(kubeconfig ? { kubeconfigPath: kubeconfig } : {}) });
  } else {
    source = new FileSource({ path: config.source.path, logger });
  }
  const store = new Store();
  const resolver = new Resolver(
    store,
    { clusterDomain: config.clusterDomain, dnsUpstream: config.dnsUpstream, legacyEndpoints: config.legacyEndpoints },
    { logger },
  );
  const server = buildServer({ view: resolver, host: config.host, port: config.port, logger });
  const url = await server.listen();
  logger.info({ url, source: source.name }, 'discover-service listening');
  const ready = source.start(store).then(() => {
    resolver.setReady(true);
    logger.info({ source: source.name }, 'source ready');
  });
  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    resolver,
    ready,
    close() {
      closing ??= Promise.all([source.stop(), server.close()]).then(() => undefined);
      return closing;
    },
  };
}

/** `meshplug serve`: runs until SIGINT or SIGTERM (exit 0), or until the source cannot start (exit 1). */
export async function serveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const config = parseServeArgs(argv, io.env);
  if (config === undefined) {
    io.stdout.write(formatHelp(serveSpec));
    return 0;
  }
  const logger = createLogger('discover-service', { level: config.logLevel });
  // Installed before anything starts, so a signal during startup still shuts down cleanly.
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signalled = new Promise<NodeJS.Signals>((resolve) => (onSignal = resolve));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let running: RunningServe | undefined;
  try {
    running = await startServe(config, logger);
    const ready = running.ready;
    const startFailed = new Promise<unknown>((resolve) => ready.catch(resolve));
    const outcome = await Promise.race([signalled.then((signal) => ({ signal })), startFailed.then((err) => ({ err }))]);
    if ('err' in outcome) {
      logger.error({ err: outcome.err }, 'source failed to start');
      return 1;
    }
    logger.info({ signal: outcome.signal }, 'shutting down');
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await running?.close();
  }
}
