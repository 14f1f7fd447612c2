import type { Logger } from '@meshplug/plugin-api';
import { silentLogger } from '@meshplug/plugin-api';
import type { MeshView } from '../state/mesh-view.js';
import { DiscoverErrors } from '../errors.js';
import type { PodInjector } from '../inject/pod-injector.js';
import type { AccessControl } from '../auth/access-control.js';
import type { SharedServerState } from './server-context.js';

/**
 * Route groups a listener serves (`/healthz` and `/readyz` are on every listener):
 * `config` the documents sidecars read (`/v1/resources`, `/v1/mesh`) and their traffic reports
 * (`POST /v1/proxies/report`), `ops` the views for people and tools (`/v1/routes`, `/v1/services`,
 * `/v1/plugins`, `/v1/components`, `/v1/proxies`, `/v1/stats`, `/v1/errors`, `/metrics`, `/openapi.json`).
 */
export type RouteGroup = 'config' | 'ops';
export const ROUTE_GROUPS: readonly RouteGroup[] = Object.freeze(['config', 'ops']);

/** Timer functions the long-poll hub uses; inject fakes to end waits without sleeping. */
export interface ServerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of {@link buildServer}. Validated once, then frozen. */
export interface ServerOptions {
  /** The resolved mesh the API serves; the server reads nothing else. */
  view: MeshView;
  /** Address to listen on. Default `127.0.0.1` (the CLI defaults to `0.0.0.0`). */
  host?: string;
  /** TCP port; `0` picks a free one. Default 6100. */
  port?: number;
  /** Upper bound of `?wait=` in seconds; longer waits are shortened to it. Default 60, at most 60. */
  maxWaitSeconds?: number;
  /**
   * How long a sidecar stays in `/v1/proxies` after its last poll ended, in ms. A sidecar with a
   * poll held open is never forgotten. Default 120000 (two missed long-poll cycles and then some).
   */
  proxyTtlMs?: number;
  /** Most sidecars remembered; past it the one seen longest ago is forgotten. Default 10000. */
  maxProxies?: number;
  /** pino logger; the server logs through a child `{ component: 'http' }`. Default silent. */
  logger?: Logger;
  /** Wall clock in ms since the epoch (`lastSeen`, TTL). Default `Date.now`. */
  clock?: () => number;
  /** Timers for long-poll wait timeouts. Default the global ones. */
  timers?: ServerTimers;
  /** Serves `POST /v1/inject` (the admission webhook) when set. */
  injector?: PodInjector;
  /** PEM certificate and key: serve HTTPS (the API server calls webhooks over TLS only). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Route groups served here. Default both; an empty list leaves health (and `/v1/inject` with an injector). */
  routes?: readonly RouteGroup[];
  /** When set, the config routes need a bearer token of a ServiceAccount in the requested namespace. Default none (open). */
  access?: AccessControl;
  /**
   * Another listener's long-poll hub, sidecar registry and metrics (a {@link DiscoverServer} is one):
   * one discover-service on several ports, so `/v1/proxies` and `/metrics` on an ops listener describe
   * the sidecars polling the config listener. The owner closes the hub. Default: this server's own.
   */
  shared?: SharedServerState;
}

/** The options after defaults and validation: every field set, frozen. */
export interface ResolvedServerOptions {
  readonly view: MeshView;
  readonly host: string;
  readonly port: number;
  readonly maxWaitSeconds: number;
  readonly proxyTtlMs: number;
  readonly maxProxies: number;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly timers: ServerTimers;
  readonly injector: PodInjector | undefined;
  readonly tls: { readonly cert: string | Buffer; readonly key: string | Buffer } | undefined;
  readonly routes: readonly RouteGroup[];
  readonly access: AccessControl | undefined;
  readonly shared: SharedServerState | undefined;
}

/** The one place the defaults live. */
export const SERVER_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 6100,
  maxWaitSeconds: 60,
  proxyTtlMs: 120_000,
  maxProxies: 10_000,
});

/** The wire protocol's ceiling on `?wait=`. */
export const WAIT_CEILING_SECONDS = 60;

const globalTimers: ServerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Applies defaults and checks every field; throws DISC_ERR_INVALID_SERVER_OPTIONS listing every problem. */
export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  const problems: string[] = [];
  const view = options.view as MeshView | undefined;
  if (view === undefined || typeof view.mesh !== 'function' || typeof view.onChange !== 'function') {
    problems.push('view: must be a MeshView');
  }
  const host = options.host ?? SERVER_DEFAULTS.host;
  if (typeof host !== 'string' || host === '') problems.push(`host ${String(host)}: must be a non-empty string`);
  const port = options.port ?? SERVER_DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`port ${port}: must be an integer 0..65535`);
  const maxWaitSeconds = options.maxWaitSeconds ?? SERVER_DEFAULTS.maxWaitSeconds;
  if (typeof maxWaitSeconds !== 'number' || !(maxWaitSeconds > 0) || maxWaitSeconds > WAIT_CEILING_SECONDS) {
    problems.push(`maxWaitSeconds ${maxWaitSeconds}: must be a number in (0, ${WAIT_CEILING_SECONDS}]`);
  }
  const proxyTtlMs = options.proxyTtlMs ?? SERVER_DEFAULTS.proxyTtlMs;
  if (typeof proxyTtlMs !== 'number' || !Number.isFinite(proxyTtlMs) || proxyTtlMs <= 0) {
    problems.push(`proxyTtlMs ${proxyTtlMs}: must be a positive number`);
  }
  const maxProxies = options.maxProxies ?? SERVER_DEFAULTS.maxProxies;
  if (!Number.isInteger(maxProxies) || maxProxies < 1) problems.push(`maxProxies ${maxProxies}: must be a positive integer`);
  if (options.clock !== undefined && typeof options.clock !== 'function') problems.push('clock: must be a function');
  const routes = [...new Set(options.routes ?? ROUTE_GROUPS)];
  for (const group of routes) if (!ROUTE_GROUPS.includes(group)) problems.push(`routes: unknown group ${String(group)} (use ${ROUTE_GROUPS.join(', ')})`);
  if (options.access !== undefined && !routes.includes('config')) problems.push('access: only applies to the config routes, which this listener does not serve');
  if (problems.length > 0 || view === undefined) {
    throw new DiscoverErrors.DISC_ERR_INVALID_SERVER_OPTIONS(problems.join('; '));
  }
  return Object.freeze({
    view,
    host,
    port,
    maxWaitSeconds,
    proxyTtlMs,
    maxProxies,
    logger: (options.logger ?? silentLogger()).child({ component: 'http' }),
    clock: options.clock ?? Date.now,
    timers: options.timers ?? globalTimers,
    injector: options.injector,
    tls: options.tls === undefined ? undefined : Object.freeze({ ...options.tls }),
    routes: Object.freeze(routes),
    access: options.access,
    shared: options.shared,
  });
}
