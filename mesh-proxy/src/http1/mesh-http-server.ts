import { Server, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { FastConnection, type FastConnectionDeps } from './fast-connection.js';

/** What the fast path needs besides what the server decides (hand-off, timeouts). */
export type FastPathDeps = Omit<FastConnectionDeps, 'handOff' | 'headersTimeoutMs'>;

type ConnectionListener = (this: Server, socket: Socket) => void;

/**
 * The HTTP server of one mesh listener. Connections start on the HTTP/1.1
 * fast path (FastConnection: heads parsed and rewritten, bytes relayed on
 * pooled upstream connections); the first request it does not forward itself
 * moves the connection to node:http's own connection handling, unread bytes
 * first, where the full forwarder, upgrades and node's strict parser take it.
 * Idle fast connections are closed after `keepAliveTimeout`, as node:http does
 * for its own, and by `closeIdleConnections` (a drain).
 */
export class MeshHttpServer extends Server {
  private readonly fast = new Set<FastConnection>();
  private readonly nodeConnection: ConnectionListener | undefined;
  private sweepTimer: unknown = undefined;

  constructor(
    options: ServerOptions,
    private readonly fastPath: FastPathDeps | undefined,
  ) {
    super(options);
    if (fastPath === undefined) return;
    // node:http's own connection handler, registered by its constructor: called on hand-off.
    this.nodeConnection = this.listeners('connection')[0] as ConnectionListener;
    this.removeListener('connection', this.nodeConnection);
    this.on('connection', (socket: Socket) => this.accept(socket));
    this.on('close', () => this.stopSweep());
  }

  override closeIdleConnections(): void {
    super.closeIdleConnections();
    for (const c of this.fast) c.closeIdle();
  }

  private accept(socket: Socket): void {
    const deps = this.fastPath!;
    const conn = new FastConnection(socket, {
      ...deps,
      headersTimeoutMs: this.headersTimeout,
      handOff: (s, unread) => {
        this.fast.delete(conn);
        if (unread !== undefined) s.unshift(unread);
        this.nodeConnection!.call(this, s);
        s.resume();
      },
    });
    this.fast.add(conn);
    socket.once('close', () => this.fast.delete(conn));
    this.sweepTimer ??= deps.timers.setTimeout(() => this.sweep(), this.keepAliveTimeout / 2);
  }

  private sweep(): void {
    this.sweepTimer = undefined;
    const now = this.fastPath!.now();
    for (const c of this.fast) c.sweep(now, this.keepAliveTimeout);
    if (this.fast.size > 0) this.sweepTimer = this.fastPath!.timers.setTimeout(() => this.sweep(), this.keepAliveTimeout / 2);
  }

  private stopSweep(): void {
    if (this.sweepTimer !== undefined) this.fastPath?.timers.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
  }
}
