/**
 * The traffic summary a sidecar POSTs to discover-service's `/v1/proxies/report` once per report
 * period (mesh-proxy: `--report-interval`), so the ops API and the dashboard can show per-endpoint
 * numbers. The sender is named by the same headers as its `/v1/mesh` polls
 * (`x-meshplug-proxy-id`, `x-meshplug-proxy-kind`, `x-meshplug-applied-version`).
 */

/** One endpoint of one outbound cluster, as the reporting sidecar sees it. Counts are since it appeared there. */
export interface EndpointReport {
  address: string;
  port: number;
  /** Attempts started on it (requests for HTTP, connections for TCP; retries count again). */
  requests: number;
  /** Attempts that failed: connect failure, reset, timeout or 5xx. */
  errors: number;
  /** Attempts in flight now. */
  active: number;
  /** Ejected by outlier detection now. */
  ejected: boolean;
  /** Times it was ejected. */
  ejections: number;
}

/** One outbound cluster: one dependency port of the reporting component. */
export interface ClusterReport {
  /** `namespace/service` of the dependency. */
  dependency: string;
  /** The dependency's Service port. */
  port: number;
  /** Requests (HTTP) or connections (TCP) finished since the sidecar started, proxy-made answers included. */
  requests: number;
  /** Of those, the ones answered 5xx, by an endpoint or by the proxy (no endpoint left, overflow, timeout). */
  errors: number;
  /**
   * Upstream latency (dispatch to response headers, or TCP connect) since the previous delivered
   * report, per bucket of {@link ProxyReport.latencyBoundsMs}; one more slot for `+Inf`.
   */
  latencyCounts: number[];
  /** Sum of the latencies counted in `latencyCounts`, in ms. */
  latencySumMs: number;
  endpoints: EndpointReport[];
}

export interface ProxyReport {
  /** Namespace of the reporting component. */
  namespace: string;
  /** Service name of the reporting component. */
  service: string;
  /** The sender's report period in seconds: how old the numbers may be. */
  intervalSeconds: number;
  /** Upper bounds (ms, increasing) of the latency buckets every cluster's `latencyCounts` use. */
  latencyBoundsMs: number[];
  /** Outbound clusters only: inbound traffic is reported by the callers' sidecars. */
  clusters: ClusterReport[];
}
