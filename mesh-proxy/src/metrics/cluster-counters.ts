/** Upper bounds (seconds) of the upstream latency histogram. */
export const LATENCY_BUCKETS: readonly number[] = Object.freeze([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

/**
 * One cluster's figures as plain numbers. The forwarders bump them on every
 * request or connection; prom-client only reads them when `/stats` is
 * scraped, so no label hashing or closure happens on the hot path.
 */
export class ClusterCounters {
  /** Requests (HTTP) or connections (TCP) finished, by code (`200`, `503`, `aborted`, `tcp`, `upgrade`). */
  readonly requests = new Map<string, number>();
  /** Per-bucket (not cumulative) counts of upstream latency; the last slot is `+Inf`. */
  readonly latencyBuckets = new Float64Array(LATENCY_BUCKETS.length + 1);
  latencySum = 0;
  latencyCount = 0;
  retries = 0;
  overflows = 0;
  ejections = 0;

  constructor(readonly cluster: string) {}

  request(code: string): void {
    this.requests.set(code, (this.requests.get(code) ?? 0) + 1);
  }

  /** Records one upstream latency, in seconds. */
  latency(seconds: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    this.latencyBuckets[i]! += 1;
    this.latencySum += seconds;
    this.latencyCount += 1;
  }
}
