import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';

/** TTL of every answer: long enough that both caches keep them for the whole run. */
export const UPSTREAM_TTL_SECONDS = 300;

/** Deterministic address in the benchmark range for a name (the data only; nothing connects to it). */
function addressFor(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `198.18.${(h >> 8) & 0xff}.${h & 0xff}`;
}

/**
 * The "cluster DNS" both resolvers forward to: answers every A question with one record (TTL 300)
 * and AAAA with NOERROR/no data. It only sees cache misses, so it is not on the measured path.
 */
export class FakeUpstreamDns {
  readonly #socket: Socket = createSocket('udp4');
  queries = 0;

  async listen(): Promise<AddressInfo> {
    this.#socket.on('message', (msg, rinfo) => {
      let query: dnsPacket.Packet;
      try {
        query = dnsPacket.decode(msg);
      } catch {
        return;
      }
      this.queries++;
      const question = query.questions?.[0];
      const answers: dnsPacket.Answer[] =
        question?.type === 'A'
          ? [{ type: 'A', name: question.name, class: 'IN', ttl: UPSTREAM_TTL_SECONDS, data: addressFor(question.name) }]
          : [];
      const reply = dnsPacket.encode({
        id: query.id ?? 0,
        type: 'response',
        flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
        questions: query.questions ?? [],
        answers,
      });
      this.#socket.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => this.#socket.bind(0, '127.0.0.1', resolve));
    return this.#socket.address();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}
