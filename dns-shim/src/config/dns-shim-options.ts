import type { Logger } from 'pino';
import { silentLogger } from '@meshplug/plugin-api';
import { systemClock, type Clock } from '../clock.js';
import { DnsShimErrors } from '../errors.js';
import { parseHostPort, type HostPort } from './host-port.js';

/** Options of {@link DnsShim}. Validated once by {@link resolveDnsShimOptions}, then frozen. */
export interface DnsShimOptions {
  /** Address served over UDP and TCP (same port), `IP:PORT`; port 0 picks a free one. Default `127.0.0.1:53`. */
  listen?: string;
  /**
   * Upstream resolvers, `IP:PORT`, used when the mesh table names none (a table's `upstream` list wins,
   * as the DnsTable contract says). Default none: forwarded questions get SERVFAIL until one is known.
   */
  upstreams?: string[];
  /** Bound on answering one forwarded question, over every upstream and retry; then SERVFAIL. ms, default 2000. */
  upstreamTimeoutMs?: number;
  /** One UDP attempt's wait before the next upstream is tried, ms. Default 800. */
  upstreamAttemptTimeoutMs?: number;
  /** Rounds over the upstream list per question (bounds fast failures such as refused). Default 2. */
  upstreamRounds?: number;
  /** Forwarded replies cached; 0 disables the cache. Default 10000. */
  cacheMaxEntries?: number;
  /** Cap on the TTL of cached positive replies, seconds. Default 3600. */
  cacheMaxTtlSeconds?: number;
  /** Cap on the TTL of cached NXDOMAIN/NODATA replies, seconds. Default 300. */
  cacheMaxNegativeTtlSeconds?: number;
  /** Largest UDP reply sent and the payload size advertised in OPT (DNS flag day 2020: 1232). Default 1232. */
  maxUdpPayload?: number;
  /** TCP connections served at once. Default 256. */
  tcpMaxConnections?: number;
  /** Idle TCP connections are closed after this long, ms. Default 10000. */
  tcpIdleTimeoutMs?: number;
  /** Concurrent queries per TCP connection before reading pauses. Default 64. */
  tcpMaxPipelined?: number;
  /** Clock of the cache (TTL expiry); injected by tests. Default the monotonic system clock. */
  clock?: Clock;
  /** pino logger; dns-shim logs through a child `{ component: 'dns-shim' }`. Default silent. */
  logger?: Logger;
}

export interface ResolvedDnsShimOptions {
  readonly listen: HostPort;
  readonly upstreams: readonly HostPort[];
  readonly upstreamTimeoutMs: number;
  readonly upstreamAttemptTimeoutMs: number;
  readonly upstreamRounds: number;
  readonly cacheMaxEntries: number;
  readonly cacheMaxTtlSeconds: number;
  readonly cacheMaxNegativeTtlSeconds: number;
  readonly maxUdpPayload: number;
  readonly tcpMaxConnections: number;
  readonly tcpIdleTimeoutMs: number;
  readonly tcpMaxPipelined: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The one place the defaults live. */
export const DNS_SHIM_DEFAULTS = Object.freeze({
  listen: '127.0.0.1:53',
  upstreamTimeoutMs: 2000,
  upstreamAttemptTimeoutMs: 800,
  upstreamRounds: 2,
  cacheMaxEntries: 10_000,
  cacheMaxTtlSeconds: 3600,
  cacheMaxNegativeTtlSeconds: 300,
  maxUdpPayload: 1232,
  tcpMaxConnections: 256,
  tcpIdleTimeoutMs: 10_000,
  tcpMaxPipelined: 64,
});

const INTEGER_RANGES = {
  upstreamTimeoutMs: [1, 60_000],
  upstreamAttemptTimeoutMs: [1, 60_000],
  upstreamRounds: [1, 10],
  cacheMaxEntries: [0, 10_000_000],
  cacheMaxTtlSeconds: [0, 604_800],
  cacheMaxNegativeTtlSeconds: [0, 604_800],
  maxUdpPayload: [512, 65_535],
  tcpMaxConnections: [1, 65_535],
  tcpIdleTimeoutMs: [1, 3_600_000],
  tcpMaxPipelined: [1, 65_535],
} as const satisfies Record<string, readonly [number, number]>;

/** Applies defaults and checks every field; throws DNS_ERR_INVALID_OPTIONS listing every problem. */
export function resolveDnsShimOptions(options: DnsShimOptions = {}): ResolvedDnsShimOptions {
  const problems: string[] = [];
  const listenText = options.listen ?? DNS_SHIM_DEFAULTS.listen;
  const listen = parseHostPort(listenText, true);
  if (listen === undefined) problems.push(`listen ${listenText}: must be IP:PORT`);
  const upstreams: HostPort[] = [];
  for (const text of options.upstreams ?? []) {
    const hp = parseHostPort(text);
    if (hp === undefined) problems.push(`upstreams: ${text} must be IP:PORT`);
    else upstreams.push(Object.freeze(hp));
  }
  const numbers = {} as Record<keyof typeof INTEGER_RANGES, number>;
  for (const [key, [min, max]] of Object.entries(INTEGER_RANGES) as [keyof typeof INTEGER_RANGES, readonly [number, number]][]) {
    const value = options[key] ?? DNS_SHIM_DEFAULTS[key];
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${key} ${value}: must be an integer ${min}..${max}`);
    numbers[key] = value;
  }
  if (numbers.upstreamAttemptTimeoutMs > numbers.upstreamTimeoutMs) {
    problems.push(`upstreamAttemptTimeoutMs ${numbers.upstreamAttemptTimeoutMs}: must not exceed upstreamTimeoutMs`);
  }
  if (problems.length > 0 || listen === undefined) throw new DnsShimErrors.DNS_ERR_INVALID_OPTIONS(problems.join('; '));
  return Object.freeze({
    listen: Object.freeze(listen),
    upstreams: Object.freeze(upstreams),
    ...numbers,
    clock: options.clock ?? systemClock,
    logger: (options.logger ?? silentLogger()).child({ component: 'dns-shim' }),
  });
}
