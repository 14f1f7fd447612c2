import { isIP } from 'node:net';

/** An address to listen on or send to. */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * `IP:PORT` or `[IPv6]:PORT` with a literal IP (a DNS server cannot depend on
 * DNS to find its upstream); undefined when it is neither. Port 0 only when
 * `allowZero` (listening on an ephemeral port).
 */
export function parseHostPort(text: string, allowZero = false): HostPort | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  if (m === null) return undefined;
  const host = m[1] ?? m[2] ?? '';
  const port = Number(m[3]);
  if (isIP(host) === 0 || port > 65535 || (port === 0 && !allowZero)) return undefined;
  return { host, port };
}

export function formatHostPort({ host, port }: HostPort): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
