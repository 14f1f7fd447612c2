import type { Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { HostPort } from '../config/host-port.js';
import { DnsShimErrors } from '../errors.js';
import { createUdpSocket } from '../server/udp-socket.js';
import { replyMatches } from './reply-matches.js';
import type { UpstreamTransport } from './upstream-transport.js';

interface Pending {
  upstream: HostPort;
  query: Buffer;
  resolve(reply: Buffer): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Queries over one UDP socket per address family, matched to replies by a
 * random message ID, the sender's address and the question.
 */
export class UdpTransport implements UpstreamTransport {
  readonly name = 'udp';
  private readonly sockets = new Map<'udp4' | 'udp6', Promise<Socket>>();
  private readonly pending = new Map<number, Pending>();

  exchange(query: Buffer, upstream: HostPort, timeoutMs: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.pending.size >= 0xffff) {
        reject(new DnsShimErrors.DNS_ERR_UPSTREAM_FAILED('too many queries in flight'));
        return;
      }
      let id = randomInt(0x10000);
      while (this.pending.has(id)) id = (id + 1) & 0xffff;
      const message = Buffer.from(query);
      message.writeUInt16BE(id, 0);
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new DnsShimErrors.DNS_ERR_UPSTREAM_TIMEOUT(`udp ${upstream.host}:${upstream.port} after ${timeoutMs} ms`));
      }, timeoutMs);
      const entry: Pending = { upstream, query: message, resolve, reject, timer };
      this.pending.set(id, entry);
      const fail = (err: Error): void => {
        if (this.pending.get(id) !== entry) return;
        this.pending.delete(id);
        clearTimeout(timer);
        reject(new DnsShimErrors.DNS_ERR_UPSTREAM_FAILED(`udp ${upstream.host}:${upstream.port}: ${err.message}`, { cause: err }));
      };
      this.socket(isIPv6(upstream.host) ? 'udp6' : 'udp4').then(
        (socket) =>
          socket.send(message, upstream.port, upstream.host, (err) => {
            if (err) fail(err);
          }),
        fail,
      );
    });
  }

  async close(): Promise<void> {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new DnsShimErrors.DNS_ERR_UPSTREAM_FAILED('transport closed'));
      this.pending.delete(id);
    }
    const sockets = await Promise.allSettled([...this.sockets.values()]);
    this.sockets.clear();
    for (const s of sockets) if (s.status === 'fulfilled') s.value.close();
  }

  private socket(type: 'udp4' | 'udp6'): Promise<Socket> {
    let socket = this.sockets.get(type);
    if (socket === undefined) {
      socket = new Promise<Socket>((resolve, reject) => {
        const s = createUdpSocket(type);
        s.once('error', reject);
        s.on('message', (msg, rinfo) => this.onMessage(msg, rinfo.address, rinfo.port));
        s.bind(0, () => {
          s.off('error', reject);
          // A socket error (e.g. ICMP unreachable surfaced by the OS) must not crash the process.
          s.on('error', () => undefined);
          s.unref();
          resolve(s);
        });
      });
      this.sockets.set(type, socket);
      socket.catch(() => this.sockets.delete(type));
    }
    return socket;
  }

  private onMessage(msg: Buffer, address: string, port: number): void {
    if (msg.length < 12) return;
    const p = this.pending.get(msg.readUInt16BE(0));
    if (p === undefined || p.upstream.port !== port || !sameAddress(p.upstream.host, address)) return;
    if (!replyMatches(msg, p.query.readUInt16BE(0), p.query)) return;
    this.pending.delete(msg.readUInt16BE(0));
    clearTimeout(p.timer);
    p.resolve(msg);
  }
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are the same sender. */
function sameAddress(a: string, b: string): boolean {
  return a === b || a.replace(/^::ffff:/, '') === b.replace(/^::ffff:/, '');
}
