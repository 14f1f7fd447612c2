import { readFileSync } from 'node:fs';

/** `127.77.10.3:8080` as /proc/net/tcp writes it: little-endian address, big-endian port, hex. */
function procAddress(host: string, port: number): string {
  const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');
  return `${host.split('.').map(Number).reverse().map((b) => hex(b, 2)).join('')}:${hex(port, 4)}`;
}

/**
 * IPv4 connections in state ESTABLISHED whose remote end is `host:port`: the
 * client side of each connection to that server, straight from the kernel, so
 * a socket the client closed no longer counts even before the server noticed.
 */
export function establishedTo(host: string, port: number): number {
  const remote = procAddress(host, port);
  let n = 0;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[2] === remote && f[3] === '01') n++;
  }
  return n;
}
