import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import * as dnsPacket from 'dns-packet';

/** What the fake upstream saw: every query, decoded, with its transport. */
export interface SeenQuery {
  transport: 'udp' | 'tcp';
  packet: dnsPacket.DecodedPacket;
  raw: Buffer;
}

export interface FakeUpstreamOptions {
  /** Delay before answering, ms (dedup tests keep a query in flight). */
  delayMs?: number;
  /** Never answer (dead upstream that still accepts packets). */
  silent?: boolean;
  /** Replaces the built-in zone: the raw reply to each raw query (undefined: no reply). */
  respond?: (query: Buffer) => Buffer | undefined;
}

/**
 * A tiny authoritative server for tests, UDP and TCP on one port of 127.0.0.1:
 *  - `*.example.test` A 198.18.0.1 TTL 60; AAAA NODATA with SOA (TTL 60, minimum 30);
 *  - `big.example.test` A with 60 addresses: truncated (TC) over UDP unless EDNS allows it;
 *  - `nx.example.test` and anything outside example.test: NXDOMAIN with SOA (TTL 60, minimum 30);
 *  - `zero.example.test` A with TTL 0;
 *  - `servfail.example.test`: SERVFAIL.
 * A query's OPT record is echoed (with an NSID option) so EDNS passthrough is visible.
 */
export class FakeUpstream {
  readonly seen: SeenQuery[] = [];
  /** Most queries it was answering at the same time. */
  maxInFlight = 0;
  private inFlight = 0;
  port = 0;
  private udp: Socket | undefined;
  private tcp: Server | undefined;
  private readonly sockets = new Set<TcpSocket>();

  constructor(private readonly options: FakeUpstreamOptions = {}) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Queries seen for `name` (case-insensitive), optionally of one transport. */
  count(name: string, transport?: 'udp' | 'tcp'): number {
    return this.seen.filter(
      (q) => q.packet.questions?.[0]?.name.toLowerCase() === name.toLowerCase() && (transport === undefined || q.transport === transport),
    ).length;
  }

  async start(host = '127.0.0.1', port = 0): Promise<this> {
    for (let attempt = 0; ; attempt++) {
      const udp = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(port, host, () => resolve());
      });
      const udpPort = udp.address().port;
      const tcp = createServer((s) => this.serveTcp(s));
      try {
        await new Promise<void>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen(udpPort, host, () => resolve());
        });
      } catch (err) {
        udp.close();
        if (port !== 0 || attempt > 20) throw err;
        continue;
      }
      udp.on('message', (msg, rinfo) => {
        void this.answer(msg, 'udp').then((reply) => {
          if (reply !== undefined) udp.send(reply, rinfo.port, rinfo.address);
        });
      });
      this.udp = udp;
      this.tcp = tcp;
      this.port = udpPort;
      return this;
    }
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.udp ? this.udp.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve()));
  }

  private serveTcp(socket: TcpSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= buffered.readUInt16BE(0) + 2) {
        const msg = buffered.subarray(2, buffered.readUInt16BE(0) + 2);
        buffered = buffered.subarray(msg.length + 2);
        void this.answer(Buffer.from(msg), 'tcp').then((reply) => {
          if (reply === undefined || !socket.writable) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([len, reply]));
        });
      }
    });
  }

  private async answer(raw: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(raw);
    } catch {
      return undefined;
    }
    this.seen.push({ transport, packet: query, raw });
    if (this.options.silent) return undefined;
    if (this.options.respond) return this.options.respond(raw);
    if (this.options.delayMs) {
      this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
      await new Promise((r) => setTimeout(r, this.options.delayMs));
      this.inFlight--;
    }
    const q = query.questions?.[0];
    if (q === undefined) return undefined;
    const name = q.name.toLowerCase();
    const opt = query.additionals?.find((a) => a.type === 'OPT') as dnsPacket.OptAnswer | undefined;
    const reply: dnsPacket.Packet = {
      type: 'response',
      id: query.id,
      flags: dnsPacket.RECURSION_AVAILABLE | (query.flags ?? 0) & dnsPacket.RECURSION_DESIRED,
      questions: [q],
      answers: [],
      authorities: [],
      additionals: opt
        ? [{ type: 'OPT', name: '.', udpPayloadSize: 4096, flags: opt.flags, options: [{ code: 3, data: Buffer.from('fake') }] } as unknown as dnsPacket.Answer]
        : [],
    };
    const soa: dnsPacket.Answer = {
      type: 'SOA',
      name: 'example.test',
      ttl: 60,
      data: { mname: 'ns.example.test', rname: 'hostmaster.example.test', serial: 1, minimum: 30 },
    };
    const inZone = name === 'example.test' || name.endsWith('.example.test');
    if (name === 'servfail.example.test') {
      reply.flags = (reply.flags ?? 0) | 2;
    } else if (!inZone || name === 'nx.example.test') {
      reply.flags = (reply.flags ?? 0) | 3;
      reply.authorities = [soa];
    } else if (q.type === 'A') {
      const count = name === 'big.example.test' ? 60 : 1;
      const ttl = name === 'zero.example.test' ? 0 : 60;
      for (let i = 0; i < count; i++) reply.answers!.push({ type: 'A', name: q.name, ttl, data: `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}` });
    } else {
      reply.authorities = [soa];
    }
    let out = dnsPacket.encode(reply);
    const limit = transport === 'tcp' ? 65535 : Math.max(512, opt?.udpPayloadSize ?? 512);
    if (out.length > limit) {
      out = dnsPacket.encode({ ...reply, flags: (reply.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [], authorities: [] });
    }
    return out;
  }
}
