import type { ProxyRegistry } from '../proxies/proxy-registry.js';
import type { LongPollHub } from './long-poll-hub.js';
import type { ResolvedServerOptions } from './server-options.js';
import type { ServerMetrics } from './server-metrics.js';

/** The state of one discover-service that all its listeners share. */
export interface SharedServerState {
  readonly hub: LongPollHub;
  readonly proxies: ProxyRegistry;
  readonly metrics: ServerMetrics;
}

/** What the route plugins share: built once per server by buildServer. */
export interface ServerContext {
  readonly options: ResolvedServerOptions;
  readonly hub: LongPollHub;
  readonly proxies: ProxyRegistry;
  readonly metrics: ServerMetrics;
}
