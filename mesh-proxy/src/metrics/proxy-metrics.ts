import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import { ClusterCounters } from './cluster-counters.js';
import { LatencyHistogram } from './latency-histogram.js';

/**
 * The proxy's Prometheus metrics, in a registry of its own so several proxies
 * (tests, the local demo) can live in one process without clashing. Hot-path
 * figures live in plain {@link ClusterCounters} and per-listener connection
 * counts; the prom-client metrics copy them in their `collect()` at scrape time.
 */
export class ProxyMetrics {
  readonly registry = new Registry();
  private readonly clusters = new Map<string, ClusterCounters>();
  private readonly connections = new Map<string, number>();
  /** Rare (one per applied document), so a plain prom-client counter. */
  readonly configApplies = new Counter({
    name: 'meshplug_proxy_config_applies_total',
    help: 'Mesh documents applied, by source (discover, state-dir)',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  constructor() {
    const clusters = this.clusters;
    const perCluster = (name: string, help: string, read: (c: ClusterCounters) => number): void => {
      new Counter({
        name,
        help,
        labelNames: ['cluster'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          for (const c of clusters.values()) {
            const v = read(c);
            if (v > 0) this.inc({ cluster: c.cluster }, v);
          }
        },
      });
    };
    new Counter({
      name: 'meshplug_proxy_requests_total',
      help: 'Requests forwarded, by cluster and status code (proxy-made errors included)',
      labelNames: ['cluster', 'code'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of clusters.values()) {
          for (const [code, v] of c.requests) this.inc({ cluster: c.cluster, code }, v);
        }
      },
    });
    this.registry.registerMetric(new LatencyHistogram(() => clusters.values()) as unknown as Metric);
    const connections = this.connections;
    new Gauge({
      name: 'meshplug_proxy_active_connections',
      help: 'Downstream connections open, by listener',
      labelNames: ['listener'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [listener, n] of connections) this.set({ listener }, n);
      },
    });
    perCluster('meshplug_proxy_ejections_total', 'Outlier ejections, by cluster', (c) => c.ejections);
    perCluster('meshplug_proxy_retries_total', 'Upstream retries, by cluster', (c) => c.retries);
    perCluster('meshplug_proxy_overflows_total', 'Requests or connections refused by a circuit breaker, by cluster', (c) => c.overflows);
  }

  /** The counters of cluster `name`, created on first use and kept (Prometheus counters never go back). */
  cluster(name: string): ClusterCounters {
    let c = this.clusters.get(name);
    if (c === undefined) {
      c = new ClusterCounters(name);
      this.clusters.set(name, c);
    }
    return c;
  }

  /** A downstream connection opened (+1) or closed (-1) on `listener`. */
  connection(listener: string, delta: 1 | -1): void {
    this.connections.set(listener, (this.connections.get(listener) ?? 0) + delta);
  }
}
