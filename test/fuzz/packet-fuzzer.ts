import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import * as dnsPacket from 'dns-packet';

/** Small seeded PRNG (mulberry32): the same seed gives the same packets, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES: dnsPacket.RecordType[] = ['A', 'AAAA', 'SRV', 'TXT', 'MX', 'NS', 'SOA', 'PTR', 'CNAME', 'CAA'];
const NAMES = ['tomcat', 'tomcat.shop', 'tomcat.shop.svc.cluster.local', '_http._tcp.tomcat', 'x.tomcat.shop.svc', 'a.example.test', 'nx.example.test', 'big.example.test', '.'];

function header(rand: () => number, counts: [number, number, number, number], flags?: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(Math.floor(rand() * 0x10000), 0);
  b.writeUInt16BE(flags ?? 0x0100, 2);
  counts.forEach((c, i) => b.writeUInt16BE(c, 4 + i * 2));
  return b;
}

/**
 * One hostile or odd DNS message. The kinds cover what a parser gets wrong:
 * random bytes, mutated valid queries, compression-pointer loops, oversized
 * labels and names, zero and many questions, lying section counts, odd OPTs.
 */
export function fuzzPacket(rand: () => number): Buffer {
  const int = (n: number): number => Math.floor(rand() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const valid = (): Buffer =>
    dnsPacket.encode({
      type: 'query',
      id: int(0x10000),
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type: pick(TYPES), name: pick(NAMES), class: 'IN' }],
      additionals:
        rand() < 0.5
          ? [{ type: 'OPT', name: '.', udpPayloadSize: int(5000), flags: rand() < 0.5 ? dnsPacket.DNSSEC_OK : 0, options: [] } as unknown as dnsPacket.Answer]
          : [],
    });
  switch (int(10)) {
    case 0:
      return Buffer.from(Array.from({ length: int(600) }, () => int(256)));
    case 1: {
      // A valid query, then a few bit flips, byte overwrites, truncation or extension.
      const edits = 1 + int(4);
      let out: Buffer = valid();
      for (let i = 0; i < edits; i++) {
        const op = int(4);
        if (op === 0 && out.length > 0) {
          const at = int(out.length);
          out[at] = (out[at] as number) ^ (1 << int(8));
        } else if (op === 1 && out.length > 0) out[int(out.length)] = int(256);
        else if (op === 2) out = out.subarray(0, int(out.length + 1));
        else out = Buffer.concat([out, Buffer.from(Array.from({ length: int(40) }, () => int(256)))]);
      }
      return out;
    }
    case 2: {
      // Compression-pointer loops: in the question (to itself), and between records (a -> b -> a).
      const loop = Buffer.from([0xc0, 12, 0, 1, 0, 1]);
      if (rand() < 0.5) return Buffer.concat([header(rand, [1, 0, 0, 0]), loop]);
      const q = Buffer.from([1, 97, 0, 0, 1, 0, 1]);
      const at = 12 + q.length;
      const rr = Buffer.from([0xc0, at + 2, 0xc0, at, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 1, 2, 3, 4]);
      return Buffer.concat([header(rand, [1, 1, 0, 0]), q, rr]);
    }
    case 3: {
      // Label length bytes 64..255 (reserved bits, pointers to nowhere) and names past 255 bytes.
      if (rand() < 0.5) {
        const len = 64 + int(192);
        return Buffer.concat([header(rand, [1, 0, 0, 0]), Buffer.from([len]), Buffer.alloc(Math.min(len & 0x3f, 63), 97), Buffer.from([0, 0, 1, 0, 1])]);
      }
      const labels = Array.from({ length: 5 + int(5) }, () => Buffer.concat([Buffer.from([63]), Buffer.alloc(63, 98)]));
      return Buffer.concat([header(rand, [1, 0, 0, 0]), ...labels, Buffer.from([0, 0, 1, 0, 1])]);
    }
    case 4:
      // Zero questions, with or without trailing data.
      return Buffer.concat([header(rand, [0, int(3), 0, 0]), Buffer.from(Array.from({ length: int(30) }, () => int(256)))]);
    case 5: {
      // Many questions: real ones, or a count far beyond the data.
      const n = 2 + int(60);
      const qs = Array.from({ length: rand() < 0.5 ? n : 1 }, () => Buffer.from([1, 97 + int(26), 0, 0, 1, 0, 1]));
      return Buffer.concat([header(rand, [rand() < 0.5 ? n : 0xffff, 0, 0, 0]), ...qs]);
    }
    case 6: {
      // Lying record counts after a good question.
      const question = Buffer.from([1, 97 + int(26), 0, 0, 1, 0, 1]);
      return Buffer.concat([header(rand, [1, int(0x10000), int(0x10000), int(0x10000)]), question]);
    }
    case 7: {
      // OPT oddities: two OPTs, a non-root owner, record data longer than the packet.
      const q = Buffer.from([1, 97, 0, 0, 1, 0, 1]);
      const opt = Buffer.from([0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, int(2) ? 0 : 40]);
      const twice = rand() < 0.5;
      return Buffer.concat([header(rand, [1, 0, 0, twice ? 2 : 1]), q, opt, twice ? opt : Buffer.from([1, 97, 0, 0, 41, 0, 0, 0, 0, 0, 0, 0])]);
    }
    case 8:
      // A response (QR set) or another opcode.
      return Buffer.concat([header(rand, [1, 0, 0, 0], rand() < 0.5 ? 0x8180 : (1 + int(15)) << 11), Buffer.from([1, 97, 0, 0, 1, 0, 1])]);
    default:
      return valid();
  }
}

export interface FuzzRun {
  /** Packets generated and sent. */
  sent: number;
  udp: number;
  tcp: number;
  /** Replies received over UDP and TCP (silence is a valid outcome for many packets). */
  replies: number;
}

/**
 * Sends `count` fuzz packets to a DNS server: most over UDP, every fifth over
 * TCP (framed, on a few connections, some of which also get raw garbage).
 * Bounded: at most `batch` datagrams before yielding to the event loop, and a time limit.
 */
export async function runFuzz(options: {
  host: string;
  port: number;
  count: number;
  seed: number;
  batch?: number;
  timeLimitMs?: number;
  onProgress?: (sent: number) => void;
}): Promise<FuzzRun> {
  const rand = seededRandom(options.seed);
  const batch = options.batch ?? 20;
  const deadline = Date.now() + (options.timeLimitMs ?? 600_000);
  const run: FuzzRun = { sent: 0, udp: 0, tcp: 0, replies: 0 };
  const socket = createSocket('udp4');
  socket.on('message', () => run.replies++);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));

  let tcpFrames: Buffer[] = [];
  const open = new Set<Promise<void>>();
  const flushTcp = async (garbage: boolean): Promise<void> => {
    const frames = tcpFrames;
    tcpFrames = [];
    await new Promise<void>((resolve) => {
      const conn = connect({ host: options.host, port: options.port });
      const timer = setTimeout(() => conn.destroy(), 2000);
      conn.on('data', () => run.replies++);
      conn.on('error', () => undefined);
      conn.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
      conn.on('connect', () => {
        for (const f of frames) {
          const len = Buffer.alloc(2);
          len.writeUInt16BE(Math.min(f.length, 0xffff));
          conn.write(Buffer.concat([len, f.subarray(0, 0xffff)]));
        }
        // Garbage after the frames: a length prefix promising more than ever comes, or random bytes.
        if (garbage) conn.end(Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 100) }, () => Math.floor(rand() * 256))));
        else conn.end();
      });
    });
  };

  while (run.sent < options.count && Date.now() < deadline) {
    const n = Math.min(batch, options.count - run.sent);
    for (let i = 0; i < n; i++) {
      const packet = fuzzPacket(rand);
      run.sent++;
      if (run.sent % 5 === 0) {
        tcpFrames.push(packet);
        run.tcp++;
      } else {
        socket.send(packet.subarray(0, 65_000), options.port, options.host);
        run.udp++;
      }
    }
    if (tcpFrames.length >= 40) {
      const flushing = flushTcp(rand() < 0.3).finally(() => open.delete(flushing));
      open.add(flushing);
      // A few connections at a time: enough to overlap, never an unbounded pile.
      if (open.size >= 4) await Promise.race(open);
    }
    // Yield so the server drains its socket buffer: small batches keep drops (which would hide bugs) rare.
    await new Promise((r) => setImmediate(r));
    options.onProgress?.(run.sent);
  }
  if (tcpFrames.length > 0) open.add(flushTcp(false));
  await Promise.all(open);
  await new Promise((r) => setTimeout(r, 50));
  socket.close();
  return run;
}
