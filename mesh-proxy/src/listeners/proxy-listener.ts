import { Server as NetServer, type Server, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from '@meshplug/plugin-api';
import type { ProxyTimers } from '../options/proxy-options.js';
import type { ProxyMetrics } from '../metrics/proxy-metrics.js';

export type ListenerState = 'binding' | 'bound' | 'retrying' | 'draining' | 'closed';

export interface ProxyListenerDeps {
  logger: Logger;
  timers: ProxyTimers;
  metrics: ProxyMetrics;
  bindRetryMinMs: number;
  bindRetryMaxMs: number;
  /** How long a draining HTTP listener leaves idle keep-alive connections open before closing them. */
  drainIdleGraceMs: number;
}

/** What `/config` shows of one listener. */
export interface ListenerStatus {
  key: string;
  address: string;
  state: ListenerState;
  connections: number;
  bindAttempts: number;
  lastError?: string;
}

/**
 * One listening socket and the connections it accepted. A failed bind
 * (EADDRINUSE, an address not there yet) is logged, shown and retried with a
 * capped backoff instead of failing the proxy. A drain stops accepting at
 * once and lets accepted connections finish, up to a deadline.
 *
 * An HTTP listener drains as Envoy does: requests arriving on open
 * connections are still served, answered with `connection: close` (the HTTP
 * server's part), and idle keep-alive connections are closed only after a
 * grace, since a caller may be sending a request on one right then: closing
 * it under that request fails it. Within the grace, callers learn that the
 * endpoint is terminating and close their idle connections themselves.
 */
export class ProxyListener {
  private stateValue: ListenerState = 'binding';
  private readonly sockets = new Set<Socket>();
  private retryTimer: unknown;
  private attempts = 0;
  private lastError: string | undefined;
  private drained: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(
    readonly key: string,
    readonly host: string,
    readonly port: number,
    private readonly server: Server,
    private readonly deps: ProxyListenerDeps,
  ) {
    this.log = deps.logger.child({ listener: key });
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      deps.metrics.connection(key, 1);
      socket.once('close', () => {
        this.sockets.delete(socket);
        deps.metrics.connection(key, -1);
      });
    });
    server.on('error', (err) => this.onListenError(err));
  }

  get state(): ListenerState {
    return this.stateValue;
  }

  get draining(): boolean {
    return this.stateValue === 'draining' || this.stateValue === 'closed';
  }

  /** Resolves after the first bind attempt, whether it succeeded or a retry was scheduled. */
  listen(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.server.off('listening', done);
        this.server.off('error', done);
        resolve();
      };
      this.server.once('listening', done);
      this.server.once('error', done);
      this.attemptBind();
    });
  }

  status(): ListenerStatus {
    return {
      key: this.key,
      address: `${this.host}:${this.port}`,
      state: this.stateValue,
      connections: this.sockets.size,
      bindAttempts: this.attempts,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  /** The bound port (useful when the spec asked for port 0). */
  boundPort(): number | undefined {
    const a = this.server.address();
    return typeof a === 'object' && a !== null ? a.port : undefined;
  }

  /**
   * Stops accepting, waits for open connections to finish, closes idle HTTP
   * keep-alive connections after the grace, and destroys whatever is still
   * open after `timeoutMs`.
   */
  drain(timeoutMs: number): Promise<void> {
    if (this.drained) return this.drained;
    if (this.retryTimer !== undefined) this.deps.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.stateValue = 'draining';
    // node:http's close() would also close idle keep-alive connections at once; net's only stops accepting.
    if (this.server.listening) NetServer.prototype.close.call(this.server);
    const http = this.server as Partial<HttpServer>;
    const grace = this.deps.drainIdleGraceMs;
    this.drained = new Promise<void>((resolve) => {
      const finish = (): void => {
        if (timer !== undefined) this.deps.timers.clearTimeout(timer);
        if (idleTimer !== undefined) this.deps.timers.clearTimeout(idleTimer);
        // Now node:http's own close too: it stops the connection-checking interval that holds the server.
        if (http.closeIdleConnections !== undefined) this.server.close();
        this.stateValue = 'closed';
        resolve();
      };
      let timer: unknown;
      let idleTimer: unknown;
      if (this.sockets.size === 0) return finish();
      let left = this.sockets.size;
      const onClose = (): void => {
        left -= 1;
        if (left === 0) finish();
      };
      for (const s of this.sockets) s.once('close', onClose);
      timer = this.deps.timers.setTimeout(() => {
        this.log.warn({ open: this.sockets.size }, 'drain timeout: closing remaining connections');
        for (const s of this.sockets) s.destroy();
        finish();
      }, timeoutMs);
      if (http.closeIdleConnections !== undefined && grace < timeoutMs) {
        // Once is enough: a connection busy now is closed after its last response (the server answers `connection: close`).
        const closeIdle = (): void => {
          idleTimer = undefined;
          http.closeIdleConnections?.call(this.server);
        };
        if (grace === 0) closeIdle();
        else idleTimer = this.deps.timers.setTimeout(closeIdle, grace);
      }
    });
    return this.drained;
  }

  private attemptBind(): void {
    this.retryTimer = undefined;
    if (this.draining) return;
    this.attempts += 1;
    this.stateValue = this.attempts === 1 ? 'binding' : 'retrying';
    this.server.listen({ host: this.host, port: this.port, exclusive: true }, () => {
      this.stateValue = 'bound';
      this.lastError = undefined;
      this.log.info({ address: `${this.host}:${this.port}`, attempts: this.attempts }, 'listener bound');
    });
  }

  private onListenError(err: Error): void {
    if (this.server.listening || this.draining) {
      this.log.error({ err }, 'listener error');
      return;
    }
    const delay = Math.min(this.deps.bindRetryMaxMs, this.deps.bindRetryMinMs * 2 ** Math.min(this.attempts - 1, 20));
    this.lastError = `${(err as NodeJS.ErrnoException).code ?? 'ERROR'}: ${err.message}`;
    this.stateValue = 'retrying';
    this.log.error({ err: this.lastError, retryInMs: delay }, 'listener failed to bind; will retry');
    this.retryTimer = this.deps.timers.setTimeout(() => this.attemptBind(), delay);
  }
}
