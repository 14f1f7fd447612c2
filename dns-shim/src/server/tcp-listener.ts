import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { HostPort } from '../config/host-port.js';
import { DnsShimErrors } from '../errors.js';
import type { QueryHandler } from './query-handler.js';

export interface TcpListenerLimits {
  /** Connections served at once; more are refused by the kernel backlog / closed. */
  maxConnections: number;
  /** A connection with no complete message for this long is closed, ms. */
  idleTimeoutMs: number;
  /** Queries of one connection answered concurrently; reading pauses above it. */
  maxPipelined: number;
}

/**
 * The TCP side (RFC 7766): length-prefixed messages, several per connection,
 * answered concurrently and possibly out of order.
 */
export class TcpListener {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly handler: QueryHandler,
    private readonly limits: Readonly<TcpListenerLimits>,
    private readonly logger: Logger,
  ) {}

  listen(at: HostPort): Promise<AddressInfo> {
    const server = createServer((socket) => this.serve(socket));
    server.maxConnections = this.limits.maxConnections;
    return new Promise((resolve, reject) => {
      server.once('error', (err) => reject(new DnsShimErrors.DNS_ERR_LISTEN(`tcp ${at.host}:${at.port}: ${err.message}`, { cause: err })));
      server.listen({ host: at.host, port: at.port }, () => {
        server.removeAllListeners('error');
        server.on('error', (err) => this.logger.warn({ err: err.message }, 'tcp server error'));
        this.server = server;
        resolve(server.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    return new Promise((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.limits.idleTimeoutMs, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
    let buffered: Buffer = Buffer.alloc(0);
    let inFlight = 0;
    let draining = false;
    // Answers frames while fewer than maxPipelined are in flight; the rest wait in `buffered` with reading paused.
    const drain = (): void => {
      if (draining) return;
      draining = true;
      while (inFlight < this.limits.maxPipelined && buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < length + 2) break;
        const message = buffered.subarray(2, length + 2);
        buffered = buffered.subarray(length + 2);
        inFlight++;
        const reply = this.handler.handle(message, 'tcp');
        if (reply instanceof Promise) void reply.then(write);
        else write(reply);
      }
      draining = false;
      if (inFlight >= this.limits.maxPipelined) socket.pause();
      else if (socket.isPaused()) socket.resume();
    };
    const write = (reply: Buffer | undefined): void => {
      inFlight--;
      if (reply !== undefined && socket.writable) {
        const frame = Buffer.allocUnsafe(reply.length + 2);
        frame.writeUInt16BE(reply.length, 0);
        reply.copy(frame, 2);
        socket.write(frame);
      }
      drain();
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      drain();
    });
  }
}
