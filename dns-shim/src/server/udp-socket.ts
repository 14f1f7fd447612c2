import { createSocket, type Socket } from 'node:dgram';

/**
 * A UDP socket for IP literals only (client addresses as received, validated
 * listen and upstream addresses). Node passes every send's address through
 * `dns.lookup`, which for a literal still costs an IP regex and a
 * `process.nextTick` per datagram; answering it synchronously skips both.
 */
export function createUdpSocket(type: 'udp4' | 'udp6'): Socket {
  const family = type === 'udp6' ? 6 : 4;
  return createSocket({ type, lookup: (address, _options, callback) => callback(null, address, family) });
}
