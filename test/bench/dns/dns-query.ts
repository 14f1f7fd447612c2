import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { waitUntil } from '../lib/timing.js';

/** One A question over UDP; resolves with the answer addresses (empty on NXDOMAIN/no data), rejects on timeout. */
export function queryA(server: { host: string; port: number }, name: string, timeoutMs = 1000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const id = Math.floor(Math.random() * 65535);
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no answer for ${name} from ${server.host}:${server.port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('message', (msg) => {
      const reply = dnsPacket.decode(msg);
      if (reply.id !== id) return;
      clearTimeout(timer);
      socket.close();
      resolve((reply.answers ?? []).flatMap((a) => (a.type === 'A' ? [a.data] : [])));
    });
    const packet = dnsPacket.encode({
      id,
      type: 'query',
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type: 'A', name, class: 'IN' }],
    });
    socket.send(packet, server.port, server.host);
  });
}

/** Waits until `name` resolves to `address` (a server that is up and has its table). */
export function waitForAnswer(server: { host: string; port: number }, name: string, address: string, timeoutMs: number): Promise<void> {
  return waitUntil(
    `${name} -> ${address} at ${server.host}:${server.port}`,
    async () => (await queryA(server, name, 500)).includes(address),
    timeoutMs,
    100,
  );
}
