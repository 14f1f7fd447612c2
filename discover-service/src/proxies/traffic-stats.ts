import type { ClusterReport, EndpointReport } from '@meshplug/plugin-api';
import type { StoredReport } from './proxy-registry.js';

/**
 * One endpoint of a dependency port, summed over the calling component's reporting sidecars: the
 * fields of one sidecar's report added up (`active` as of their last reports, `ejected` when any of
 * them has it ejected), and how many of them have it ejected.
 */
export interface EndpointTraffic extends EndpointReport {
  ejectedBy: number;
}

/** Upstream latency over the sidecars' last report period. */
export interface LatencySummary {
  /** Latencies measured in that period. */
  count: number;
  meanMs: number;
  /** Interpolated within histogram buckets, as Prometheus' histogram_quantile does. */
  p50Ms: number;
  p99Ms: number;
}

/** Traffic of one component -> dependency port, as `/v1/stats` lists it. */
export interface RouteTraffic {
  /** `namespace/service` of the calling component. */
  component: string;
  /** `namespace/service`. */
  dependency: string;
  port: number;
  /** Sidecars whose reports are summed here. */
  sidecars: number;
  /** Requests (or connections) finished, proxy-made answers included. */
  requests: number;
  /** Of those, answered 5xx by an endpoint or by the proxy. */
  errors: number;
  /** Absent when nothing was timed in the last period. */
  latency?: LatencySummary;
  endpoints: EndpointTraffic[];
}

interface Histogram {
  bounds: readonly number[];
  counts: number[];
  sumMs: number;
}

interface Accumulator {
  row: RouteTraffic;
  endpoints: Map<string, EndpointTraffic>;
  histogram: Histogram | undefined;
}

const round3 = (ms: number): number => Math.round(ms * 1000) / 1000;

/**
 * Adds `counts` (over `bounds`) into `into`: each count goes to the first bucket of `into` whose
 * bound is not below its own, so sidecars with other bucket bounds (another version) still add up,
 * at worst a bucket higher.
 */
function addHistogram(into: Histogram, bounds: readonly number[], counts: readonly number[], sumMs: number): void {
  into.sumMs += sumMs;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] ?? 0;
    if (n === 0) continue;
    const bound = i < bounds.length ? (bounds[i] as number) : Infinity;
    let j = into.bounds.findIndex((b) => b >= bound);
    if (j < 0) j = into.bounds.length;
    into.counts[j] = (into.counts[j] ?? 0) + n;
  }
}

/** The `q` quantile of a histogram with `count` > 0; the +Inf bucket answers its lower bound. */
function quantile(h: Histogram, count: number, q: number): number {
  const rank = q * count;
  let below = 0;
  for (let i = 0; i < h.counts.length; i++) {
    const n = h.counts[i] ?? 0;
    if (below + n >= rank && n > 0) {
      const lower = i === 0 ? 0 : (h.bounds[i - 1] as number);
      if (i >= h.bounds.length) return lower;
      return lower + ((h.bounds[i] as number) - lower) * ((rank - below) / n);
    }
    below += n;
  }
  return h.bounds.at(-1) ?? 0;
}

function summary(h: Histogram | undefined): LatencySummary | undefined {
  if (h === undefined) return undefined;
  const count = h.counts.reduce((a, b) => a + b, 0);
  if (count === 0) return undefined;
  return { count, meanMs: round3(h.sumMs / count), p50Ms: round3(quantile(h, count, 0.5)), p99Ms: round3(quantile(h, count, 0.99)) };
}

function addCluster(acc: Accumulator, cluster: ClusterReport, bounds: readonly number[]): void {
  const { row } = acc;
  row.sidecars += 1;
  row.requests += cluster.requests;
  row.errors += cluster.errors;
  acc.histogram ??= { bounds, counts: new Array<number>(bounds.length + 1).fill(0), sumMs: 0 };
  addHistogram(acc.histogram, bounds, cluster.latencyCounts, cluster.latencySumMs);
  for (const e of cluster.endpoints) {
    const key = `${e.address}\u0000${e.port}`;
    let sum = acc.endpoints.get(key);
    if (sum === undefined) {
      sum = { address: e.address, port: e.port, requests: 0, errors: 0, active: 0, ejected: false, ejectedBy: 0, ejections: 0 };
      acc.endpoints.set(key, sum);
    }
    sum.requests += e.requests;
    sum.errors += e.errors;
    sum.active += e.active;
    sum.ejections += e.ejections;
    if (e.ejected) {
      sum.ejected = true;
      sum.ejectedBy += 1;
    }
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sums the sidecars' reports per component -> dependency port: totals add up, latency histograms
 * are merged before the quantiles are taken (quantiles of several sidecars cannot be averaged).
 * Rows sorted by component, dependency, port; endpoints by address and port.
 */
export function aggregateTraffic(reports: readonly StoredReport[], filter: { namespace?: string; service?: string } = {}): RouteTraffic[] {
  const rows = new Map<string, Accumulator>();
  for (const { report } of reports) {
    if (filter.namespace !== undefined && report.namespace !== filter.namespace) continue;
    if (filter.service !== undefined && report.service !== filter.service) continue;
    const component = `${report.namespace}/${report.service}`;
    for (const cluster of report.clusters) {
      const key = `${component}\u0000${cluster.dependency}\u0000${cluster.port}`;
      let acc = rows.get(key);
      if (acc === undefined) {
        const row: RouteTraffic = { component, dependency: cluster.dependency, port: cluster.port, sidecars: 0, requests: 0, errors: 0, endpoints: [] };
        acc = { row, endpoints: new Map(), histogram: undefined };
        rows.set(key, acc);
      }
      addCluster(acc, cluster, report.latencyBoundsMs);
    }
  }
  const out: RouteTraffic[] = [];
  for (const { row, endpoints, histogram } of rows.values()) {
    const latency = summary(histogram);
    out.push({
      ...row,
      ...(latency !== undefined ? { latency } : {}),
      endpoints: [...endpoints.values()].sort((a, b) => compare(a.address, b.address) || a.port - b.port),
    });
  }
  return out.sort((a, b) => compare(a.component, b.component) || compare(a.dependency, b.dependency) || a.port - b.port);
}
