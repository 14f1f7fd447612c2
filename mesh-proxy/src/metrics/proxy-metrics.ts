import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The proxy's Prometheus metrics, in a registry of its own so several proxies
 * (tests, the local demo) can live in one process without clashing.
 */
export class ProxyMetrics {
  readonly registry = new Registry();
  /** Requests (HTTP) or connections (TCP) finished, by cluster and response code (`tcp` for L4). */
  readonly requests = new Counter({
    name: 'meshplug_proxy_requests_total',
    help: 'Requests forwarded, by cluster and status code (proxy-made errors included)',
    labelNames: ['cluster', 'code'] as const,
    registers: [this.registry],
  });
  readonly upstreamLatency = new Histogram({
    name: 'meshplug_proxy_upstream_latency_seconds',
    help: 'Time from dispatch to upstream response headers (HTTP) or connect (TCP)',
    labelNames: ['cluster'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly activeConnections = new Gauge({
    name: 'meshplug_proxy_active_connections',
    help: 'Downstream connections open, by listener',
    labelNames: ['listener'] as const,
    registers: [this.registry],
  });
  readonly ejections = new Counter({
    name: 'meshplug_proxy_ejections_total',
    help: 'Outlier ejections, by cluster',
    labelNames: ['cluster'] as const,
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: 'meshplug_proxy_retries_total',
    help: 'Upstream retries, by cluster',
    labelNames: ['cluster'] as const,
    registers: [this.registry],
  });
  readonly overflows = new Counter({
    name: 'meshplug_proxy_overflows_total',
    help: 'Requests or connections refused by a circuit breaker, by cluster',
    labelNames: ['cluster'] as const,
    registers: [this.registry],
  });
  readonly configApplies = new Counter({
    name: 'meshplug_proxy_config_applies_total',
    help: 'Mesh documents applied, by source (discover, state-dir)',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
}
