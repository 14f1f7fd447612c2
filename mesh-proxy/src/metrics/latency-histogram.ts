import type { ClusterCounters } from './cluster-counters.js';
import { LATENCY_BUCKETS } from './cluster-counters.js';

interface HistogramValue {
  value: number;
  labels: Record<string, string | number>;
  metricName: string;
}

/**
 * The `meshplug_proxy_upstream_latency_seconds` histogram, built at scrape
 * time from the clusters' {@link ClusterCounters}. prom-client's Histogram has
 * no way to load bucket counts, so this object speaks the registry's metric
 * contract (`name`, `help`, `type`, `get()`, `reset()`) itself.
 */
export class LatencyHistogram {
  readonly name = 'meshplug_proxy_upstream_latency_seconds';
  readonly help = 'Time from dispatch to upstream response headers (HTTP) or connect (TCP)';
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(private readonly clusters: () => Iterable<ClusterCounters>) {}

  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: HistogramValue[] }> {
    const values: HistogramValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const c of this.clusters()) {
      if (c.latencyCount === 0) continue;
      let acc = 0;
      for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
        acc += c.latencyBuckets[i]!;
        values.push({ value: acc, labels: { le: LATENCY_BUCKETS[i]!, cluster: c.cluster }, metricName: bucket });
      }
      values.push(
        { value: c.latencyCount, labels: { le: '+Inf', cluster: c.cluster }, metricName: bucket },
        { value: c.latencySum, labels: { cluster: c.cluster }, metricName: `${this.name}_sum` },
        { value: c.latencyCount, labels: { cluster: c.cluster }, metricName: `${this.name}_count` },
      );
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  /** Counters are owned by the clusters; a registry reset does not rewind them. */
  reset(): void {}
}
