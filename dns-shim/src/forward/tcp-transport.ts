import { connect } from 'node:net';
import { randomInt } from 'node:crypto';
import type { HostPort } from '../config/host-port.js';
import { DnsShimErrors } from '../errors.js';
import { replyMatches } from './reply-matches.js';
import type { UpstreamTransport } from './upstream-transport.js';

/**
 * One connection per query (RFC 7766 framing: a 16-bit length before each
 * message). Only used after a truncated UDP reply, so pooling is not worth
 * its bookkeeping.
 */
export class TcpTransport implements UpstreamTransport {
  readonly name = 'tcp';
  private readonly open = new Set<{ destroy(): void }>();

  exchange(query: Buffer, upstream: HostPort, timeoutMs: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const id = randomInt(0x10000);
      const framed = Buffer.allocUnsafe(query.length + 2);
      framed.writeUInt16BE(query.length, 0);
      query.copy(framed, 2);
      framed.writeUInt16BE(id, 2);
      const message = framed.subarray(2);
      const where = `tcp ${upstream.host}:${upstream.port}`;
      const socket = connect({ host: upstream.host, port: upstream.port });
      this.open.add(socket);
      let received = Buffer.alloc(0);
      let settled = false;
      const finish = (err: Error | undefined, reply?: Buffer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.open.delete(socket);
        socket.destroy();
        if (err !== undefined) reject(err);
        else resolve(reply as Buffer);
      };
      const timer = setTimeout(
        () => finish(new DnsShimErrors.DNS_ERR_UPSTREAM_TIMEOUT(`${where} after ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.on('connect', () => socket.write(framed));
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length < 2) return;
        const length = received.readUInt16BE(0);
        if (received.length < length + 2) return;
        const reply = received.subarray(2, length + 2);
        if (replyMatches(reply, id, message)) finish(undefined, Buffer.from(reply));
        else finish(new DnsShimErrors.DNS_ERR_UPSTREAM_FAILED(`${where}: reply does not match the query`));
      });
      socket.on('error', (err) => finish(new DnsShimErrors.DNS_ERR_UPSTREAM_FAILED(`${where}: ${err.message}`, { cause: err })));
      socket.on('close', () => finish(new DnsShimErrors.DNS_ERR_UPSTREAM_FAILED(`${where}: closed before a reply`)));
    });
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }
}
