import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { silentLogger, type Logger } from '@meshplug/plugin-api';
import { MeshProxyErrors } from '../errors.js';

/** Timer functions, injectable so tests drive retries and drains without real sleeps. */
export interface ProxyTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What a caller passes to `new MeshProxy(...)`; see {@link ResolvedProxyOptions} for the defaults. */
export interface ProxyOptions {
  /** Base URL of discover-service, e.g. `http://10.96.0.10:6100`. Required. */
  configUrl: string;
  /** Namespace of the component this sidecar serves (the injector sets `NAMESPACE`). Required. */
  namespace: string;
  /** Service name of the component (the injector sets `SERVICE_NAME`). Required. */
  service: string;
  /** Sent as `x-meshplug-proxy-id` so `/v1/proxies` can name this sidecar. Default: the host name (pod name). */
  proxyId?: string;
  /** `HOST:PORT` of the admin API; loopback only by default. Default `127.0.0.1:15000`; port 0 picks one. */
  adminAddress?: string;
  /** Directory of the last applied document (`mesh.json`); none when unset. */
  stateDir?: string;
  /** Address inbound listeners bind. Default `0.0.0.0` (a pod); the local demo gives each pod a `127.0.1.x`. */
  bindAddress?: string;
  /** How long a drain (SIGTERM, `POST /drain`, a removed listener) waits for in-flight work. Default 15000. */
  drainTimeoutMs?: number;
  /**
   * While draining, how long idle keep-alive connections of HTTP listeners stay open (requests on them
   * are still served, with `connection: close`) before they are closed: time for callers to see the
   * endpoint terminating. Closing one at once fails a request a caller is sending on it right then.
   * Default 1000; at or above drainTimeoutMs they stay until the drain deadline.
   */
  drainIdleGraceMs?: number;
  /** First delay before re-binding a listener that failed (EADDRINUSE...). Default 500. */
  bindRetryMinMs?: number;
  /** Cap of the re-bind backoff. Default 10000. */
  bindRetryMaxMs?: number;
  /**
   * Request bodies up to this size are read whole before anything goes upstream: they can be retried,
   * and a malformed one (a bad chunk) never reaches the endpoint. Larger ones are streamed. Default 65536.
   */
  retryBufferBytes?: number;
  /** Longest wait of a request for a connection slot once MaxConnections is reached (then 503). Default 30000. */
  pendingTimeoutMs?: number;
  /**
   * With a state dir: how long to wait at start for discover-service before serving the saved
   * document (a failed request switches at once). Default 5000.
   */
  startupGraceMs?: number;
  /** Long-poll wait sent to discover-service, seconds (1..60). Default 30. */
  waitSeconds?: number;
  /** First backoff after discover-service failed to answer. Default 250. */
  discoverMinBackoffMs?: number;
  /** Cap of that backoff. Default 10000. */
  discoverMaxBackoffMs?: number;
  /** Seconds between traffic reports to discover-service (`POST /v1/proxies/report`); 0 turns them off. Default 10. */
  reportIntervalSeconds?: number;
  /** pino logger; the proxy takes child loggers. Default: silent. */
  logger?: Logger;
  /** Injectable timers. Default: the global ones. */
  timers?: ProxyTimers;
  /** Injectable clock (ms), used by outlier ejection, retry budgets and peak EWMA. Default `Date.now`. */
  now?: () => number;
  /** Injectable random in [0, 1), used by balancers and backoff jitter. Default `Math.random`. */
  random?: () => number;
  /**
   * Bearer token for discover-service when it runs with access control: a string, or a function
   * asked before every request (a projected ServiceAccount token rotates). Default: none.
   */
  token?: string | (() => string | undefined);
  /**
   * The pod's inbound ports as the injector moved them (`MESHPLUG_INBOUND`): when set, these are the
   * inbound listeners, since the pod spec (not the Service) is what the sidecar's ports were named
   * from; the mesh document then only contributes each port's options and protocol. Default: none,
   * the document's inbound list is used.
   */
  inbound?: readonly InboundPort[];
  /**
   * Serve the pod's DNS from this process too (`--dns-listen`): dns-shim, fed the `dns` table of every
   * document this proxy applies, so a pod needs one sidecar process instead of two. Default: none.
   */
  dns?: EmbeddedDnsOptions;
}

/** The DNS server a proxy hosts; dns-shim checks these again with its own option rules. */
export interface EmbeddedDnsOptions {
  /** UDP and TCP address served, `IP:PORT` (injected pods: `127.0.0.1:53`); port 0 picks a free one. Required. */
  listen: string;
  /** Upstream resolvers `IP:PORT`, used while the mesh table names none. Default: none. */
  upstreams?: readonly string[];
  /** `IP:PORT` of dns-shim's own `/stats` and `/ready`. Default: none (the DNS state still shows in `/config`). */
  metricsListen?: string;
}

/** One inbound port of the pod: its name, app port and the sidecar's outer port. */
export interface InboundPort {
  name: string;
  port: number;
  outerPort: number;
}

/** Parses `name:port:outer,...` (the injector's MESHPLUG_INBOUND); throws MESH_ERR_INVALID_OPTIONS naming the bad entry. */
export function parseInboundPorts(value: string): InboundPort[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^([a-z0-9-]{1,15}):(\d{1,5}):(\d{1,5})$/.exec(entry);
      const port = Number(m?.[2]);
      const outerPort = Number(m?.[3]);
      if (!m?.[1] || port < 1 || port > 65535 || outerPort < 1 || outerPort > 65535) {
        throw new MeshProxyErrors.MESH_ERR_INVALID_OPTIONS(`inbound: "${entry}" is not NAME:PORT:OUTER_PORT`);
      }
      return { name: m[1], port, outerPort };
    });
}

export interface ResolvedProxyOptions extends Readonly<Required<Omit<ProxyOptions, 'stateDir' | 'inbound' | 'token' | 'dns'>>> {
  readonly token: string | (() => string | undefined) | undefined;
  readonly dns: Readonly<Required<Omit<EmbeddedDnsOptions, 'metricsListen'>>> & { readonly metricsListen: string | undefined } | undefined;
  readonly stateDir: string | undefined;
  readonly inbound: readonly InboundPort[] | undefined;
  readonly adminHost: string;
  readonly adminPort: number;
}

/** The defaults, in one place. */
export const PROXY_DEFAULTS = Object.freeze({
  adminAddress: '127.0.0.1:15000',
  bindAddress: '0.0.0.0',
  drainTimeoutMs: 15_000,
  drainIdleGraceMs: 1000,
  bindRetryMinMs: 500,
  bindRetryMaxMs: 10_000,
  retryBufferBytes: 64 * 1024,
  pendingTimeoutMs: 30_000,
  startupGraceMs: 5000,
  waitSeconds: 30,
  discoverMinBackoffMs: 250,
  discoverMaxBackoffMs: 10_000,
  reportIntervalSeconds: 10,
});

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Splits `HOST:PORT` (IPv6 as `[::1]:15000`). */
export function parseHostPort(value: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(value);
  if (!m?.[1] || !m[2]) return undefined;
  const port = Number(m[2]);
  if (port > 65535 || isIP(m[1]) === 0) return undefined;
  return { host: m[1], port };
}

/** Applies defaults, validates once and freezes; a bad option throws MESH_ERR_INVALID_OPTIONS naming it. */
export function resolveProxyOptions(input: ProxyOptions): ResolvedProxyOptions {
  const bad = (field: string, why: string): never => {
    throw new MeshProxyErrors.MESH_ERR_INVALID_OPTIONS(`${field}: ${why}`);
  };
  let url: URL | undefined;
  try {
    url = new URL(input.configUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) bad('configUrl', `not an http(s) URL: ${String(input.configUrl)}`);
  if (!input.namespace || !NAME.test(input.namespace)) bad('namespace', `not a namespace name: ${String(input.namespace)}`);
  if (!input.service || !NAME.test(input.service)) bad('service', `not a service name: ${String(input.service)}`);
  const adminAddress = input.adminAddress ?? PROXY_DEFAULTS.adminAddress;
  const admin = parseHostPort(adminAddress) ?? bad('adminAddress', `expected IP:PORT, got ${adminAddress}`);
  const bindAddress = input.bindAddress ?? PROXY_DEFAULTS.bindAddress;
  if (isIP(bindAddress) === 0) bad('bindAddress', `not an IP address: ${bindAddress}`);
  const num = (field: keyof typeof PROXY_DEFAULTS, min: number, max: number): number => {
    const v = (input[field] as number | undefined) ?? (PROXY_DEFAULTS[field] as number);
    if (!Number.isInteger(v) || v < min || v > max) bad(field, `expected an integer in ${min}..${max}, got ${String(v)}`);
    return v;
  };
  const resolved: ResolvedProxyOptions = {
    configUrl: input.configUrl.replace(/\/+$/, ''),
    namespace: input.namespace,
    service: input.service,
    proxyId: input.proxyId ?? hostname(),
    adminAddress,
    adminHost: admin.host,
    adminPort: admin.port,
    stateDir: input.stateDir === '' ? undefined : input.stateDir,
    bindAddress,
    drainTimeoutMs: num('drainTimeoutMs', 0, 3_600_000),
    drainIdleGraceMs: num('drainIdleGraceMs', 0, 3_600_000),
    bindRetryMinMs: num('bindRetryMinMs', 1, 600_000),
    bindRetryMaxMs: num('bindRetryMaxMs', 1, 600_000),
    retryBufferBytes: num('retryBufferBytes', 0, 64 * 1024 * 1024),
    pendingTimeoutMs: num('pendingTimeoutMs', 1, 3_600_000),
    startupGraceMs: num('startupGraceMs', 0, 3_600_000),
    waitSeconds: num('waitSeconds', 1, 60),
    discoverMinBackoffMs: num('discoverMinBackoffMs', 1, 600_000),
    discoverMaxBackoffMs: num('discoverMaxBackoffMs', 1, 600_000),
    reportIntervalSeconds: num('reportIntervalSeconds', 0, 3600),
    logger: input.logger ?? silentLogger(),
    timers: input.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    now: input.now ?? Date.now,
    random: input.random ?? Math.random,
    token: input.token,
    inbound: input.inbound === undefined ? undefined : Object.freeze(input.inbound.map((p) => Object.freeze({ ...p }))),
    dns: input.dns === undefined ? undefined : resolveDnsOptions(input.dns, bad),
  };
  if (resolved.bindRetryMaxMs < resolved.bindRetryMinMs) bad('bindRetryMaxMs', 'must be >= bindRetryMinMs');
  if (resolved.discoverMaxBackoffMs < resolved.discoverMinBackoffMs) bad('discoverMaxBackoffMs', 'must be >= discoverMinBackoffMs');
  return Object.freeze(resolved);
}

function resolveDnsOptions(dns: EmbeddedDnsOptions, bad: (field: string, why: string) => never): NonNullable<ResolvedProxyOptions['dns']> {
  const address = (field: string, value: string, minPort: number): string => {
    const at = parseHostPort(value);
    return at !== undefined && at.port >= minPort ? value : bad(field, `expected IP:PORT, got ${value}`);
  };
  return Object.freeze({
    listen: address('dns.listen', dns.listen, 0),
    upstreams: Object.freeze((dns.upstreams ?? []).map((u) => address('dns.upstreams', u, 1))),
    metricsListen: dns.metricsListen === undefined ? undefined : address('dns.metricsListen', dns.metricsListen, 0),
  });
}
