import type { BalancedEndpoint } from '../balancers/balancer.js';

/**
 * One upstream endpoint and its counters. The same object lives on across
 * config versions while its `address:port` stays, so counters and balancer
 * state survive an unrelated change.
 */
export class UpstreamEndpoint implements BalancedEndpoint {
  readonly id: string;
  /** Requests (HTTP) or connections (TCP) in flight. */
  active = 0;
  /** Requests or connections started. */
  total = 0;
  /** Attempts that failed (connect failure, reset, timeout, 5xx). */
  errors = 0;

  constructor(
    readonly address: string,
    readonly port: number,
    public weight: number,
  ) {
    this.id = `${address}:${port}`;
  }
}
