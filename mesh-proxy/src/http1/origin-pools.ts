import type { ProxyTimers } from '../options/proxy-options.js';
import { connectUpstream } from '../tcp/connect-upstream.js';
import type { UpstreamEndpoint } from '../upstream/upstream-endpoint.js';
import { OriginConnection } from './origin-connection.js';

/** How long an idle upstream connection is kept when the endpoint names no keep-alive timeout (undici's default). */
export const ORIGIN_IDLE_MS = 4000;
/** Margin under the endpoint's own keep-alive timeout, so the proxy closes first. */
const IDLE_MARGIN_MS = 1000;

export interface OriginPoolsDeps {
  timers: ProxyTimers;
  now: () => number;
}

/**
 * Idle keep-alive connections to the endpoints of one cluster, the most
 * recently used first (a warm connection, and the others age out). The
 * circuit breaker counts connections in use; this only keeps the idle ones,
 * closing them after ORIGIN_IDLE_MS or just under the endpoint's own
 * `Keep-Alive: timeout`, whichever is shorter.
 */
export class OriginPools {
  private readonly idle = new Map<string, OriginConnection[]>();
  private sweepTimer: unknown = undefined;
  private closed = false;
  private readonly forget = (c: OriginConnection): void => {
    for (const list of this.idle.values()) {
      const i = list.indexOf(c);
      if (i >= 0) list.splice(i, 1);
    }
  };

  constructor(private readonly deps: OriginPoolsDeps) {}

  /** A live idle connection to `e`, or undefined. */
  take(e: UpstreamEndpoint): OriginConnection | undefined {
    const list = this.idle.get(e.id);
    if (list === undefined) return undefined;
    for (let c = list.pop(); c !== undefined; c = list.pop()) {
      if (c.alive) return c;
      c.socket.destroy();
    }
    return undefined;
  }

  /** Opens a new connection to `e`; the callback runs once. */
  connect(e: UpstreamEndpoint, timeoutMs: number, callback: (err: Error | undefined, c?: OriginConnection) => void): void {
    connectUpstream(e, timeoutMs, this.deps.timers, (err, socket) => {
      if (err !== undefined || socket === undefined) return callback(err);
      callback(undefined, new OriginConnection(socket, this.forget));
    });
  }

  /** Keeps `c` for the next request to `e`. */
  release(e: UpstreamEndpoint, c: OriginConnection): void {
    c.owner = undefined;
    if (this.closed || !c.alive) {
      c.socket.destroy();
      return;
    }
    c.idleSince = this.deps.now();
    let list = this.idle.get(e.id);
    if (list === undefined) this.idle.set(e.id, (list = []));
    list.push(c);
    this.sweepTimer ??= this.deps.timers.setTimeout(() => this.sweep(), ORIGIN_IDLE_MS / 2);
  }

  /** Closes the idle connections of endpoints not in `ids`. */
  retain(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const [id, list] of this.idle) {
      if (keep.has(id)) continue;
      this.idle.delete(id);
      for (const c of list) c.socket.destroy();
    }
  }

  /** Closes every idle connection; connections in use are closed when released. */
  close(): void {
    this.closed = true;
    this.retain([]);
    if (this.sweepTimer !== undefined) this.deps.timers.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  private sweep(): void {
    this.sweepTimer = undefined;
    const now = this.deps.now();
    let left = 0;
    for (const list of this.idle.values()) {
      for (let i = list.length - 1; i >= 0; i--) {
        const c = list[i]!;
        const limit = c.keepAliveMs > 0 ? Math.min(ORIGIN_IDLE_MS, c.keepAliveMs - IDLE_MARGIN_MS) : ORIGIN_IDLE_MS;
        if (now - c.idleSince < limit && c.alive) continue;
        list.splice(i, 1);
        c.socket.destroy();
      }
      left += list.length;
    }
    if (left > 0) this.sweepTimer = this.deps.timers.setTimeout(() => this.sweep(), ORIGIN_IDLE_MS / 2);
  }
}
