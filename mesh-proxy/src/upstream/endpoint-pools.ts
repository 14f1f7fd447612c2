import { isIPv6 } from 'node:net';
import { Pool } from 'undici';
import type { UpstreamEndpoint } from './upstream-endpoint.js';

interface PoolEntry {
  pool: Pool;
  connectTimeoutMs: number;
}

/**
 * Keep-alive undici pools, one per upstream endpoint of one cluster. Pools of
 * endpoints that left, or whose connect timeout changed, are closed gently:
 * requests in flight on them finish first.
 */
export class EndpointPools {
  private readonly pools = new Map<string, PoolEntry>();

  get(e: UpstreamEndpoint, connectTimeoutMs: number): Pool {
    const entry = this.pools.get(e.id);
    if (entry !== undefined && entry.connectTimeoutMs === connectTimeoutMs) return entry.pool;
    if (entry !== undefined) void entry.pool.close();
    const host = isIPv6(e.address) ? `[${e.address}]` : e.address;
    const pool = new Pool(`http://${host}:${e.port}`, {
      connectTimeout: connectTimeoutMs,
      // One request per connection at a time, so MaxConnections bounds requests in flight too.
      pipelining: 1,
    });
    this.pools.set(e.id, { pool, connectTimeoutMs });
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
