import type { BalancedEndpoint, Balancer, ExcludeFn } from './balancer.js';
import { EndpointSet } from './endpoint-set.js';

/**
 * Least request by power of two choices (Envoy): two distinct weighted random
 * candidates, the one with fewer active requests per unit of weight wins.
 * Cheap (no scan over all endpoints' load) and avoids the herd that a global
 * "least loaded" choice causes when several proxies share stale counts.
 */
export class LeastRequestBalancer<E extends BalancedEndpoint = BalancedEndpoint> implements Balancer<E> {
  readonly policy = 'least_request' as const;
  private readonly set: EndpointSet<E>;
  private active = new Float64Array(0);
  /** Bound once so a pick allocates nothing. */
  private readonly cost = (i: number): number => this.active[i]! / this.set.weights[i]!;

  constructor(random: () => number) {
    this.set = new EndpointSet<E>(random);
  }

  update(endpoints: readonly E[]): void {
    const from = this.set.update(endpoints);
    const active = new Float64Array(from.length);
    for (let i = 0; i < from.length; i++) {
      const j = from[i]!;
      if (j >= 0) active[i] = this.active[j]!;
    }
    this.active = active;
  }

  pick(exclude?: ExcludeFn<E>): E | undefined {
    if (this.set.mark(exclude) === 0) return undefined;
    const i = this.set.pickTwo(this.cost);
    return i < 0 ? undefined : this.set.endpoints[i];
  }

  onStart(e: E): void {
    const i = this.set.indexOf(e);
    if (i >= 0) this.active[i]! += 1;
  }

  onEnd(e: E, _latencyMs: number, _ok: boolean): void {
    const i = this.set.indexOf(e);
    // Clamped: an endpoint removed and re-added mid-request starts again from zero.
    if (i >= 0 && this.active[i]! > 0) this.active[i]! -= 1;
  }
}
