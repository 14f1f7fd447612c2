import type { DnsRecord } from '@meshplug/plugin-api';
import type { ChildSpec } from '../lib/children.js';

export interface DnsmasqOptions {
  port: number;
  /** The same mesh names dns-shim answers, as exact host records. */
  records: readonly DnsRecord[];
  /** The fake cluster DNS, for every other name. */
  upstream: { host: string; port: number };
}

/**
 * dnsmasq as the anchor: foreground, loopback only, no system files, cache on (its maximum useful
 * size), mesh names as `--host-record` (exact names, like dns-shim's table), the rest forwarded.
 */
export function dnsmasqCommand(options: DnsmasqOptions): ChildSpec {
  return {
    name: 'dnsmasq',
    command: 'dnsmasq',
    args: [
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      `--port=${options.port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--no-resolv',
      '--no-hosts',
      `--server=${options.upstream.host}#${options.upstream.port}`,
      '--cache-size=10000',
      '--user=root',
      '--pid-file=',
      '--log-facility=-',
      ...options.records.map((r) => `--host-record=${[...r.names, r.address].join(',')}`),
    ],
  };
}
