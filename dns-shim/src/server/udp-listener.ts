import type { Socket } from 'node:dgram';
import { isIPv6, type AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { HostPort } from '../config/host-port.js';
import { DnsShimErrors } from '../errors.js';
import type { QueryHandler } from './query-handler.js';
import { createUdpSocket } from './udp-socket.js';

/** The UDP side of the server: one datagram in, at most one datagram back to its sender. */
export class UdpListener {
  private socket: Socket | undefined;

  constructor(
    private readonly handler: QueryHandler,
    private readonly logger: Logger,
  ) {}

  listen(at: HostPort): Promise<AddressInfo> {
    const socket = createUdpSocket(isIPv6(at.host) ? 'udp6' : 'udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', (err) => reject(new DnsShimErrors.DNS_ERR_LISTEN(`udp ${at.host}:${at.port}: ${err.message}`, { cause: err })));
      socket.bind(at.port, at.host, () => {
        socket.removeAllListeners('error');
        socket.on('error', (err) => this.logger.warn({ err: err.message }, 'udp socket error'));
        socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo.address, rinfo.port));
        this.socket = socket;
        resolve(socket.address());
      });
    });
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    return new Promise((resolve) => (socket === undefined ? resolve() : socket.close(() => resolve())));
  }

  private onMessage(msg: Buffer, address: string, port: number): void {
    const reply = this.handler.handle(msg, 'udp');
    if (reply instanceof Promise) void reply.then((r) => this.send(r, address, port));
    else this.send(reply, address, port);
  }

  private send(reply: Buffer | undefined, address: string, port: number): void {
    // Port 0 cannot be replied to; the socket may also have closed while an upstream answered.
    if (reply === undefined || port === 0 || this.socket === undefined) return;
    // No callback: Node then tries the send synchronously and allocates no completion closure. A failed
    // datagram (full socket buffer) is simply lost, as UDP allows: the client retries.
    this.socket.send(reply, port, address);
  }
}
