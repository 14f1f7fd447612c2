import type { BalancedEndpoint, Balancer, ExcludeFn } from './balancer.js';
import { EndpointSet } from './endpoint-set.js';

/** Weighted random: each eligible endpoint is chosen with probability weight / total weight. */
export class RandomBalancer<E extends BalancedEndpoint = BalancedEndpoint> implements Balancer<E> {
  readonly policy = 'random' as const;
  private readonly set: EndpointSet<E>;

  constructor(random: () => number) {
    this.set = new EndpointSet<E>(random);
  }

  update(endpoints: readonly E[]): void {
    this.set.update(endpoints);
  }

  pick(exclude?: ExcludeFn<E>): E | undefined {
    if (this.set.mark(exclude) === 0) return undefined;
    const i = this.set.weightedRandom(-1);
    return i < 0 ? undefined : this.set.endpoints[i];
  }

  onStart(_e: E): void {
    // Random ignores load.
  }

  onEnd(_e: E, _latencyMs: number, _ok: boolean): void {
    // Random ignores load.
  }
}
