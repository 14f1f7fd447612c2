import type { ClusterReport, ProxyReport } from '@meshplug/plugin-api';
import type { ClusterView } from '../listeners/listener-manager.js';
import { LATENCY_BUCKETS, type ClusterCounters } from '../metrics/cluster-counters.js';

/** What the builder reads, at report time only: the counters the admin API and `/stats` already show. */
export interface ReportSource {
  /** The clusters as `/clusters` shows them. */
  clusters(): readonly ClusterView[];
  /** The hot-path counters of cluster `name`. */
  counters(name: string): ClusterCounters;
}

/** A built report and how to mark it delivered. */
export interface BuiltReport {
  readonly report: ProxyReport;
  /** Call after discover-service accepted it: the next latency window starts here. */
  commit(): void;
}

interface LatencyMark {
  counts: Float64Array;
  sumSeconds: number;
}

/** `namespace/service:port`, the outbound cluster name of the mesh document. */
const OUTBOUND_NAME = /^([a-z0-9][-a-z0-9]*\/[a-z0-9][-a-z0-9]*):(\d{1,5})$/;
const SERVER_ERROR = /^5\d\d$/;
/** The bucket bounds in ms, rounded so 0.0025 s reads 2.5 rather than 2.5000000000000004. */
const BOUNDS_MS = Object.freeze(LATENCY_BUCKETS.map((s) => Math.round(s * 1e6) / 1e3));

/**
 * Turns the proxy's counters into a {@link ProxyReport}: totals as they stand, latency as the
 * difference since the last delivered report, so a report that did not get through leaves its
 * window to the next one and discover-service can add histograms of several sidecars.
 */
export class ReportBuilder {
  readonly #delivered = new Map<string, LatencyMark>();

  constructor(
    private readonly source: ReportSource,
    private readonly identity: { namespace: string; service: string; intervalSeconds: number },
  ) {}

  build(): BuiltReport {
    const marks = new Map<string, LatencyMark>();
    const clusters: ClusterReport[] = [];
    for (const view of this.source.clusters()) {
      const name = OUTBOUND_NAME.exec(view.name);
      if (view.direction !== 'outbound' || name === null) continue;
      const counters = this.source.counters(view.name);
      const mark: LatencyMark = { counts: Float64Array.from(counters.latencyBuckets), sumSeconds: counters.latencySum };
      marks.set(view.name, mark);
      const since = this.#delivered.get(view.name);
      let requests = 0;
      let errors = 0;
      for (const [code, n] of counters.requests) {
        requests += n;
        if (SERVER_ERROR.test(code)) errors += n;
      }
      clusters.push({
        dependency: name[1]!,
        port: Number(name[2]),
        requests,
        errors,
        latencyCounts: Array.from(mark.counts, (n, i) => Math.max(0, n - (since?.counts[i] ?? 0))),
        latencySumMs: Math.max(0, Math.round((mark.sumSeconds - (since?.sumSeconds ?? 0)) * 1e6) / 1e3),
        endpoints: view.endpoints.map((e) => ({
          address: e.address,
          port: e.port,
          requests: e.total,
          errors: e.errors,
          active: e.active,
          ejected: e.health === 'ejected',
          ejections: e.ejectionCount,
        })),
      });
    }
    const report: ProxyReport = {
      namespace: this.identity.namespace,
      service: this.identity.service,
      intervalSeconds: this.identity.intervalSeconds,
      latencyBoundsMs: [...BOUNDS_MS],
      clusters,
    };
    return {
      report,
      commit: () => {
        // Kept per cluster name for as long as the metrics keep that name's counters (a cluster that leaves and comes back resumes them).
        for (const [name, mark] of marks) this.#delivered.set(name, mark);
      },
    };
  }
}
