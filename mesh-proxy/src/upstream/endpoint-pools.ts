import { createRequire } from 'node:module';
import { isIPv6 } from 'node:net';
import type { TrafficPolicy } from '@meshplug/plugin-api';
import type { Pool } from 'undici';
import type { UpstreamEndpoint } from './upstream-endpoint.js';

const require = createRequire(import.meta.url);
/**
 * undici, loaded by the first request that needs a pool: the HTTP/1.1 fast path forwards plain
 * requests on its own sockets, and undici measured ~7 MiB of the sidecar's RSS at 1,000 req/s.
 */
let PoolClass: typeof Pool | undefined;

/** The cluster options a pool is built with; a change makes a new pool. */
export type PoolSettings = Pick<TrafficPolicy, 'connectionTimeoutMs' | 'maxConnections'>;

interface PoolEntry {
  pool: Pool;
  connectTimeoutMs: number;
  connections: number;
}

/**
 * Keep-alive undici pools, one per upstream endpoint of one cluster. Pools of
 * endpoints that left, or whose connect timeout or connection cap changed, are
 * closed gently: requests in flight on them finish first.
 *
 * MaxConnections is a cluster limit (Envoy's): the circuit breaker counts the
 * connections in use over all endpoints, and each endpoint's pool is capped at
 * the same number, so one endpoint alone can use the whole limit (a balancer
 * may send it everything) and a request never waits in undici's queue behind
 * a socket the breaker already gave up. Sockets left idle by earlier traffic
 * to other endpoints are not counted; undici closes them after its keep-alive
 * timeout (4 s, or what the endpoint's `keep-alive` header says).
 */
export class EndpointPools {
  private readonly pools = new Map<string, PoolEntry>();

  get(e: UpstreamEndpoint, settings: PoolSettings): Pool {
    const entry = this.pools.get(e.id);
    if (entry !== undefined && entry.connectTimeoutMs === settings.connectionTimeoutMs && entry.connections === settings.maxConnections) {
      return entry.pool;
    }
    if (entry !== undefined) void entry.pool.close();
    const host = isIPv6(e.address) ? `[${e.address}]` : e.address;
    PoolClass ??= (require('undici') as typeof import('undici')).Pool;
    const pool = new PoolClass(`http://${host}:${e.port}`, {
      connectTimeout: settings.connectionTimeoutMs,
      // At least one socket: a limit of 0 refuses every request in the breaker before it gets here.
      connections: Math.max(1, settings.maxConnections),
      // One request per connection at a time, so MaxConnections bounds requests in flight too.
      pipelining: 1,
    });
    this.pools.set(e.id, { pool, connectTimeoutMs: settings.connectionTimeoutMs, connections: settings.maxConnections });
    return pool;
  }

  /** Closes the pools of endpoints not in `ids`. */
  retain(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const [id, entry] of this.pools) {
      if (keep.has(id)) continue;
      this.pools.delete(id);
      void entry.pool.close();
    }
  }

  /** Closes every pool; in-flight requests finish unless `force`. */
  async close(force = false): Promise<void> {
    const all = [...this.pools.values()].map((e) => (force ? e.pool.destroy() : e.pool.close()));
    this.pools.clear();
    await Promise.allSettled(all);
  }
}
