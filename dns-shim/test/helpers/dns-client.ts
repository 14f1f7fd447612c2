import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import * as dnsPacket from 'dns-packet';

let nextId = 1;

/** A query message for tests, optionally with EDNS0. */
export function query(name: string, type: dnsPacket.RecordType = 'A', opts: { edns?: number; do?: boolean; id?: number } = {}): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: opts.id ?? nextId++ & 0xffff,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
    additionals:
      opts.edns === undefined
        ? []
        : [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: opts.edns,
              flags: opts.do ? dnsPacket.DNSSEC_OK : 0,
              options: [{ code: 10, data: Buffer.from('0123456789abcdef', 'hex') }],
            } as unknown as dnsPacket.Answer,
          ],
  });
}

/** Sends one datagram and waits for one reply (bounded). */
export function udpExchange(port: number, message: Buffer, timeoutMs = 3000, host = '127.0.0.1'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no UDP reply within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg);
    });
    socket.send(message, port, host);
  });
}

/** Sends messages over one TCP connection and collects as many replies (bounded). */
export function tcpExchange(port: number, messages: Buffer[], timeoutMs = 3000, host = '127.0.0.1'): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host });
    const replies: Buffer[] = [];
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${replies.length}/${messages.length} TCP replies within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => {
      for (const m of messages) {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(m.length);
        socket.write(Buffer.concat([len, m]));
      }
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= buffered.readUInt16BE(0) + 2) {
        replies.push(Buffer.from(buffered.subarray(2, buffered.readUInt16BE(0) + 2)));
        buffered = buffered.subarray(buffered.readUInt16BE(0) + 2);
      }
      if (replies.length === messages.length) {
        clearTimeout(timer);
        socket.destroy();
        resolve(replies);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export function rcodeOf(reply: Buffer): number {
  return reply.readUInt16BE(2) & 0xf;
}

/** A decoded record with the fields tests read (dns-packet's union type hides `data` behind OPT). */
export interface LooseRecord {
  type: string;
  name: string;
  ttl?: number;
  data?: any;
}

/** A decoded reply typed loosely for assertions; dns-packet also sets `rcode`, which its types omit. */
export interface LooseReply {
  id: number;
  rcode: string;
  flags: number;
  flag_aa: boolean;
  flag_tc: boolean;
  questions: { name: string; type: string }[];
  answers: LooseRecord[];
  authorities: LooseRecord[];
  additionals: LooseRecord[];
}

export function decodeReply(buf: Buffer): LooseReply {
  return dnsPacket.decode(buf) as unknown as LooseReply;
}
