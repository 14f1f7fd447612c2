import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';

/** Name (lower-case, no trailing dot) -> IPv4 address. */
export type Zone = ReadonlyMap<string, string>;

const NXDOMAIN = 3;

/**
 * The cluster DNS of the end-to-end test: answers `A` for the names of its
 * zone, an empty NOERROR for their other types, NXDOMAIN for everything else.
 * UDP only, which is all dns-shim's forwarding needs for such short answers.
 */
export function answer(query: Buffer, zone: Zone): Buffer | undefined {
  let packet: dnsPacket.Packet;
  try {
    packet = dnsPacket.decode(query);
  } catch {
    return undefined;
  }
  const question = packet.questions?.[0];
  if (question === undefined) return undefined;
  const address = zone.get(question.name.toLowerCase().replace(/\.$/, ''));
  return dnsPacket.encode({
    type: 'response',
    id: packet.id ?? 0,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (address === undefined ? NXDOMAIN : 0),
    questions: [question],
    answers: address !== undefined && question.type === 'A' ? [{ type: 'A', name: question.name, ttl: 30, data: address }] : [],
  });
}

export function startFakeUpstreamDns(host: string, port: number, zone: Zone): Promise<{ socket: Socket; address: AddressInfo }> {
  const socket = createSocket('udp4');
  socket.on('message', (msg, peer) => {
    const reply = answer(msg, zone);
    if (reply !== undefined) socket.send(reply, peer.port, peer.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve({ socket, address: socket.address() });
    });
  });
}
