import { readFileSync } from 'node:fs';

/** `/proc/net/tcp` state code of an established connection. */
const ESTABLISHED = '01';

/** `127.0.25.20:8080` as /proc/net/tcp writes it: little-endian address, big-endian port, hex. */
function procAddress(host: string, port: number): string {
  const bytes = host.split('.').map(Number).reverse();
  const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');
  return `${bytes.map((b) => hex(b, 2)).join('')}:${hex(port, 4)}`;
}

/**
 * Established IPv4 connections whose remote end is `host:port`, straight from
 * the kernel: the client side of each connection to that server, counted the
 * moment the client closes it (a server's own 'close' events lag behind on a
 * busy machine).
 */
export function establishedTo(host: string, port: number): number {
  const remote = procAddress(host, port);
  let n = 0;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[2] === remote && f[3] === ESTABLISHED) n++;
  }
  return n;
}
