/**
 * Micro-benchmark of the per-request metric work: what mesh-proxy does now
 * (plain ClusterCounters, exported on scrape) against the prom-client calls it
 * replaced (Counter.inc + Histogram.observe with labels). Not a test; prints ops/s.
 *
 *   node --import tsx test/bench/micro/proxy-metrics.ts [--ms 1000]
 */
import { parseArgs } from 'node:util';
import { Counter, Histogram, Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '../../../mesh-proxy/src/metrics/cluster-counters.js';
import { ProxyMetrics } from '../../../mesh-proxy/src/metrics/proxy-metrics.js';
import { opsPerSecond } from '../lib/ops-per-second.js';

const { values } = parseArgs({ options: { ms: { type: 'string', default: '1000' } } });
const budgetMs = Math.min(Math.max(Number(values.ms) || 1000, 50), 10_000);
const LIMITS = { budgetMs, maxOps: 50_000_000, batch: 4_096 };

const metrics = new ProxyMetrics();
const counters = metrics.cluster('shop/tomcat:8080');
const registry = new Registry();
const requests = new Counter({ name: 'r', help: 'r', labelNames: ['cluster', 'code'] as const, registers: [registry] });
const latency = new Histogram({ name: 'l', help: 'l', labelNames: ['cluster'] as const, buckets: [...LATENCY_BUCKETS], registers: [registry] });

const rows = [
  opsPerSecond('ClusterCounters.request + latency', (i) => {
    counters.request('200');
    counters.latency((i & 7) / 1000);
  }, LIMITS),
  opsPerSecond('prom-client Counter.inc + Histogram.observe', (i) => {
    requests.inc({ cluster: 'shop/tomcat:8080', code: String(200) });
    latency.observe({ cluster: 'shop/tomcat:8080' }, (i & 7) / 1000);
  }, LIMITS),
];
console.table(rows);
// The scrape still reports what the hot path counted.
const text = await metrics.registry.metrics();
if (!/meshplug_proxy_requests_total\{cluster="shop\/tomcat:8080",code="200"\} [1-9]/.test(text)) throw new Error('scrape lost the counts');
