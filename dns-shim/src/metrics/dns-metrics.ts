import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QType } from '../wire/dns-constants.js';

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
 * The `type` label values: 'none' (no question read), every named type, 'other'. Query types are
 * 16-bit; every named one is below 256, so a 256-entry table maps a qtype to its label's index.
 */
const TYPE_LABELS = ['none', ...Object.keys(QType), 'other'];
const OTHER_TYPE = TYPE_LABELS.length - 1;
const TYPE_INDEX = new Uint8Array(256).fill(OTHER_TYPE);
for (const [i, label] of TYPE_LABELS.entries()) {
  const qtype = QType[label as keyof typeof QType] as number | undefined;
  if (qtype !== undefined) TYPE_INDEX[qtype] = i;
}
/** One counter per (type, outcome, transport). */
const QUERY_COUNTERS = TYPE_LABELS.length * QUERY_OUTCOMES.length * TRANSPORTS.length;

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
   * Per-query counts not yet handed to prom-client, indexed by (type, outcome, transport):
   * counting is one array increment, the label work happens at scrape time.
   */
  private readonly unpublished = new Float64Array(QUERY_COUNTERS);
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
        for (let key = 0; key < QUERY_COUNTERS; key++) {
          const count = unpublished[key] as number;
          if (count === 0) continue;
          const transport = key % TRANSPORTS.length;
          const outcome = Math.floor(key / TRANSPORTS.length) % QUERY_OUTCOMES.length;
          const type = Math.floor(key / (TRANSPORTS.length * QUERY_OUTCOMES.length));
          this.labels(TYPE_LABELS[type] as string, QUERY_OUTCOMES[outcome] as string, TRANSPORTS[transport] as string).inc(count);
        }
        unpublished.fill(0);
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
    const type = qtype === undefined ? 0 : qtype < 256 ? (TYPE_INDEX[qtype] as number) : OTHER_TYPE;
    const key = (type * QUERY_OUTCOMES.length + OUTCOME_INDEX[outcome]) * TRANSPORTS.length + (transport === 'tcp' ? 1 : 0);
    this.unpublished[key] = (this.unpublished[key] as number) + 1;
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
