import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { typeLabel } from '../wire/dns-constants.js';

/** How a query ended, the `outcome` label of `meshplug_dns_queries_total`. */
export type QueryOutcome =
  | 'mesh'
  | 'mesh_nodata'
  | 'mesh_nxdomain'
  | 'cached'
  | 'forwarded'
  | 'servfail'
  | 'formerr'
  | 'notimp'
  | 'dropped';

/**
 * dns-shim's Prometheus metrics in their own registry (several shims in one
 * test process must not collide in the global one).
 */
export class DnsMetrics {
  readonly registry = new Registry();
  readonly queries = new Counter({
    name: 'meshplug_dns_queries_total',
    help: 'Queries answered, by query type and outcome',
    labelNames: ['type', 'outcome', 'transport'] as const,
    registers: [this.registry],
  });
  readonly cacheHits = new Counter({
    name: 'meshplug_dns_cache_hits_total',
    help: 'Forwarded questions answered from the cache',
    registers: [this.registry],
  });
  readonly cacheMisses = new Counter({
    name: 'meshplug_dns_cache_misses_total',
    help: 'Forwarded questions not in the cache',
    registers: [this.registry],
  });
  readonly dedupedQueries = new Counter({
    name: 'meshplug_dns_deduplicated_queries_total',
    help: 'Questions that joined an identical upstream exchange already in flight',
    registers: [this.registry],
  });
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

  /** `cacheSize` is read at scrape time, so the hot path never updates a gauge. */
  constructor(cacheSize: () => number = () => 0) {
    this.cacheEntries = new Gauge({
      name: 'meshplug_dns_cache_entries',
      help: 'Replies held in the cache',
      registers: [this.registry],
      collect() {
        this.set(cacheSize());
      },
    });
  }

  /** Children cached by label values: the per-query path must not rebuild label maps. */
  private readonly queryChildren = new Map<string, { inc(): void }>();

  countQuery(qtype: number | undefined, outcome: QueryOutcome, transport: 'udp' | 'tcp'): void {
    const type = qtype === undefined ? 'none' : typeLabel(qtype);
    const key = `${type}|${outcome}|${transport}`;
    let child = this.queryChildren.get(key);
    if (child === undefined) {
      child = this.queries.labels(type, outcome, transport);
      this.queryChildren.set(key, child);
    }
    child.inc();
  }
}
