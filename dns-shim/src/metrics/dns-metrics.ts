import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { typeLabel } from '../wire/dns-constants.js';

/** How a query ended, the `outcome` label of `meshplug_dns_queries_total`. */
export const QUERY_OUTCOMES = [
  'mesh',
  'mesh_nodata',
  'mesh_nxdomain',
  'cached',
  'forwarded',
  'servfail',
  'formerr',
  'notimp',
  'dropped',
] as const;
export type QueryOutcome = (typeof QUERY_OUTCOMES)[number];

const OUTCOME_INDEX = Object.fromEntries(QUERY_OUTCOMES.map((o, i) => [o, i])) as Record<QueryOutcome, number>;
const TRANSPORTS = ['udp', 'tcp'] as const;

/**
 * dns-shim's Prometheus metrics in their own registry (several shims in one
 * test process must not collide in the global one).
 */
export class DnsMetrics {
  readonly registry = new Registry();
  readonly queries: Counter<'type' | 'outcome' | 'transport'>;
  readonly cacheHits: Counter;
  readonly cacheMisses: Counter;
  readonly dedupedQueries: Counter;
  readonly upstreamLatency = new Histogram({
    name: 'meshplug_dns_upstream_duration_seconds',
    help: 'Upstream exchange time, by transport of the final attempt',
    labelNames: ['transport'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers: [this.registry],
  });
  readonly upstreamErrors = new Counter({
    name: 'meshplug_dns_upstream_errors_total',
    help: 'Failed upstream attempts (timeouts, refused, malformed replies), by transport',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });
  readonly cacheEntries: Gauge;
  readonly tableNames = new Gauge({
    name: 'meshplug_dns_table_names',
    help: 'Mesh names in the current table',
    registers: [this.registry],
  });
  readonly tableUpdates = new Counter({
    name: 'meshplug_dns_table_updates_total',
    help: 'Tables applied, by source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  /**
   * Per-query counts not yet handed to prom-client, by a packed integer key:
   * counting is a map update, the label work happens at scrape time.
   */
  private readonly unpublished = new Map<number, number>();
  /** Forwarder events not yet handed to prom-client, likewise. */
  private readonly forwarderCounts = { hits: 0, misses: 0, deduped: 0 };

  /** `cacheSize` is read at scrape time, so the hot path never updates a gauge. */
  constructor(cacheSize: () => number = () => 0) {
    const unpublished = this.unpublished;
    this.queries = new Counter({
      name: 'meshplug_dns_queries_total',
      help: 'Queries answered, by query type, outcome and transport',
      labelNames: ['type', 'outcome', 'transport'] as const,
      registers: [this.registry],
      collect() {
        for (const [key, count] of unpublished) {
          const type = key >> 8 === 0 ? 'none' : typeLabel((key >> 8) - 1);
          this.labels(type, QUERY_OUTCOMES[(key >> 1) & 0x7f] as string, TRANSPORTS[key & 1] as string).inc(count);
        }
        unpublished.clear();
      },
    });
    const counts = this.forwarderCounts;
    const publishing = (name: string, help: string, field: keyof typeof counts): Counter =>
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.inc(counts[field]);
          counts[field] = 0;
        },
      });
    this.cacheHits = publishing('meshplug_dns_cache_hits_total', 'Forwarded questions answered from the cache', 'hits');
    this.cacheMisses = publishing('meshplug_dns_cache_misses_total', 'Forwarded questions not in the cache', 'misses');
    this.dedupedQueries = publishing(
      'meshplug_dns_deduplicated_queries_total',
      'Questions that joined an identical upstream exchange already in flight',
      'deduped',
    );
    this.cacheEntries = new Gauge({
      name: 'meshplug_dns_cache_entries',
      help: 'Replies held in the cache',
      registers: [this.registry],
      collect() {
        this.set(cacheSize());
      },
    });
  }

  countQuery(qtype: number | undefined, outcome: QueryOutcome, transport: 'udp' | 'tcp'): void {
    const key = ((qtype === undefined ? 0 : qtype + 1) << 8) | (OUTCOME_INDEX[outcome] << 1) | (transport === 'tcp' ? 1 : 0);
    this.unpublished.set(key, (this.unpublished.get(key) ?? 0) + 1);
  }

  countCacheHit(): void {
    this.forwarderCounts.hits++;
  }

  countCacheMiss(): void {
    this.forwarderCounts.misses++;
  }

  countDeduplicated(): void {
    this.forwarderCounts.deduped++;
  }
}
