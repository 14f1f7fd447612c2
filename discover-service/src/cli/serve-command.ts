import {
  createLogger,
  formatHelp,
  parseCommandLine,
  PluginApiErrors,
  type CommandSpec,
  type InjectOptions,
  type Logger,
  type ParsedCommandLine,
} from '@meshplug/plugin-api';
import { PodInjector } from '../inject/pod-injector.js';
import type { DiscoverServer } from '../http/build-server.js';
import { AccessControl } from '../auth/access-control.js';
import { Resolver } from '../resolve/resolver.js';
import { FileSource } from '../sources/file-source.js';
import type { Source } from '../sources/source.js';
import { Store } from '../store/store.js';
import type { CliIo } from './cli-io.js';
import { parseListen } from './listen-address.js';
import { startListeners } from './serve-listeners.js';

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
    kubeconfig: {
      type: 'string',
      description: 'kubeconfig file for --source kube and --auth tokenreview; default KUBECONFIG, ~/.kube/config or in-cluster',
    },
    auth: {
      type: 'string',
      description:
        'none, or tokenreview: /v1/resources and /v1/mesh need a pod\'s projected ServiceAccount token (audience meshplug), ' +
        'checked by TokenReview, and serve only its own namespace; injected pods get the token',
      default: 'none',
    },
    'ops-listen': {
      type: 'string',
      description: 'serve the ops API (/v1/routes, /v1/services, /v1/proxies, /metrics, ...) only on HOST:PORT, not on --listen',
    },
    'log-level': { type: 'string', description: 'debug, info, warn or error', default: 'info' },
    'webhook-listen': { type: 'string', description: 'also serve the API, with POST /v1/inject, over HTTPS on HOST:PORT (needs --tls-cert/--tls-key)' },
    'tls-cert': { type: 'string', description: 'PEM certificate file for --webhook-listen' },
    'tls-key': { type: 'string', description: 'PEM private key file for --webhook-listen' },
    'discover-service': { type: 'string', description: 'NAMESPACE/NAME of this Service: injected sidecars dial its ClusterIP' },
    'discover-host': { type: 'string', description: 'address injected sidecars dial instead (default: the node IP, as Rainbond)' },
    'cluster-dns': { type: 'string', description: 'NAMESPACE/NAME of the cluster DNS Service, dns-shim upstream', default: 'kube-system/kube-dns' },
    'native-sidecar': { type: 'boolean', description: 'inject net plugins as native sidecars (Kubernetes >= 1.29)', default: false },
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
  /** HTTPS listener for the admission webhook. */
  webhook?: { host: string; port: number; certFile: string; keyFile: string };
  /** `--ops-listen`: the ops API's own listener. */
  ops?: { host: string; port: number };
  /** `--auth`: who may read config documents. */
  auth: { kind: 'none' } | { kind: 'tokenreview'; kubeconfig?: string };
  inject: PodInjectorOptionsFromCli;
}

/** Injector settings from the command line. */
export interface PodInjectorOptionsFromCli {
  discoverService?: string;
  clusterDns?: string;
  inject: Partial<InjectOptions>;
}

/** A started discover-service: listening now, `ready` once its source delivered its first full list. */
export interface RunningServe {
  url: string;
  server: DiscoverServer;
  /** The `--ops-listen` listener's URL. */
  opsUrl: string | undefined;
  /** The `--webhook-listen` listener's URL. */
  webhookUrl: string | undefined;
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
  const auth = parseAuth(values.auth as string, values.kubeconfig as string | undefined);
  const opsListen = values['ops-listen'] as string | undefined;
  return {
    source: parseSource(values.source as string | undefined, values.kubeconfig as string | undefined),
    host,
    port,
    legacyEndpoints: values['legacy-endpoints'] === true,
    clusterDomain: values['cluster-domain'] as string,
    dnsUpstream: ((values['dns-upstream'] as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean),
    logLevel,
    ...parseWebhook(values),
    ...(opsListen === undefined ? {} : { ops: parseListen(opsListen) }),
    auth,
    inject: {
      ...(values['discover-service'] ? { discoverService: values['discover-service'] as string } : {}),
      ...(values['cluster-dns'] ? { clusterDns: values['cluster-dns'] as string } : {}),
      inject: {
        clusterDomain: values['cluster-domain'] as string,
        nativeSidecar: values['native-sidecar'] === true,
        accessControl: auth.kind === 'tokenreview',
        ...(values['discover-host'] ? { discoverHost: values['discover-host'] as string } : {}),
      },
    },
  };
}

function parseAuth(value: string, kubeconfig: string | undefined): ServeConfig['auth'] {
  if (value === 'none') return { kind: 'none' };
  if (value === 'tokenreview') return kubeconfig === undefined ? { kind: 'tokenreview' } : { kind: 'tokenreview', kubeconfig };
  throw new PluginApiErrors.API_ERR_INVALID_OPTION(`--auth ${value}: use none or tokenreview`);
}

function parseWebhook(values: ParsedCommandLine['values']): Pick<ServeConfig, 'webhook'> {
  const listen = values['webhook-listen'] as string | undefined;
  if (listen === undefined) return {};
  const certFile = values['tls-cert'] as string | undefined;
  const keyFile = values['tls-key'] as string | undefined;
  if (certFile === undefined || keyFile === undefined) {
    throw new PluginApiErrors.API_ERR_INVALID_OPTION('--webhook-listen needs --tls-cert and --tls-key (the API server calls webhooks over HTTPS only)');
  }
  return { webhook: { ...parseListen(listen), certFile, keyFile } };
}

/** Where the cluster is, when the source or the token reviews need one. */
function clusterOf(config: ServeConfig): { kubeconfigPath?: string } | undefined {
  const needed = config.source.kind === 'kube' ? config.source : config.auth.kind === 'tokenreview' ? config.auth : undefined;
  if (needed === undefined) return undefined;
  return needed.kubeconfig === undefined ? {} : { kubeconfigPath: needed.kubeconfig };
}

/** Wires source -> Store -> Resolver -> HTTP server and starts listening before the source is ready (/readyz says 503 until then). */
export async function startServe(config: ServeConfig, logger: Logger): Promise<RunningServe> {
  // One client configuration for the informers and the token reviews. Loaded only when needed:
  // the Kubernetes client is large and file mode (the local demo) never needs it.
  const cluster = clusterOf(config);
  const kubeConfig = cluster === undefined ? undefined : (await import('../sources/kube-client-config.js')).loadKubeConfig(cluster);
  let source: Source;
  if (config.source.kind === 'kube') {
    const { KubeSource } = await import('../sources/kube-source.js');
    source = new KubeSource({ legacyEndpoints: config.legacyEndpoints, logger, ...(kubeConfig ? { kubeConfig } : {}) });
  } else {
    source = new FileSource({ path: config.source.path, logger });
  }
  let access: AccessControl | undefined;
  if (config.auth.kind === 'tokenreview' && kubeConfig !== undefined) {
    const { KubeTokenReviewer } = await import('../auth/kube-token-reviewer.js');
    access = new AccessControl({ reviewer: new KubeTokenReviewer({ kubeConfig }), logger });
  }
  const store = new Store();
  const resolver = new Resolver(
    store,
    { clusterDomain: config.clusterDomain, dnsUpstream: config.dnsUpstream, legacyEndpoints: config.legacyEndpoints },
    { logger },
  );
  const injector = new PodInjector({ lookup: resolver, ...config.inject });
  const listeners = await startListeners(
    { main: { host: config.host, port: config.port }, ops: config.ops, webhook: config.webhook },
    { view: resolver, injector, access, logger },
  );
  const ready = source.start(store).then(() => {
    resolver.setReady(true);
    logger.info({ source: source.name }, 'source ready');
  });
  let closing: Promise<void> | undefined;
  return {
    url: listeners.url,
    server: listeners.main,
    opsUrl: listeners.opsUrl,
    webhookUrl: listeners.webhookUrl,
    resolver,
    ready,
    close() {
      closing ??= Promise.all([source.stop(), listeners.close()]).then(() => undefined);
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
