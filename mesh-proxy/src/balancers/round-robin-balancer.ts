import type { BalancedEndpoint, Balancer, ExcludeFn } from './balancer.js';
import { EndpointSet } from './endpoint-set.js';

/**
 * Smooth weighted round robin (nginx): every pick adds each eligible
 * endpoint's weight to its running score, takes the highest score and
 * subtracts the total. Weights 5:1:1 give `a a b a c a a`, interleaved rather
 * than in bursts. Rainbond's only policy, and the default.
 */
export class RoundRobinBalancer<E extends BalancedEndpoint = BalancedEndpoint> implements Balancer<E> {
  readonly policy = 'round_robin' as const;
  /** Round robin never draws a random number; the set only needs one for the other policies. */
  private readonly set = new EndpointSet<E>(Math.random);
  private score = new Float64Array(0);

  update(endpoints: readonly E[]): void {
    const from = this.set.update(endpoints);
    const score = new Float64Array(from.length);
    for (let i = 0; i < from.length; i++) {
      const j = from[i]!;
      if (j >= 0) score[i] = this.score[j]!;
    }
    this.score = score;
  }

  pick(exclude?: ExcludeFn<E>): E | undefined {
    const set = this.set;
    if (set.mark(exclude) === 0) return undefined;
    const { weights, endpoints } = set;
    const score = this.score;
    let total = 0;
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < endpoints.length; i++) {
      if (!set.isEligible(i)) continue;
      const s = score[i]! + weights[i]!;
      score[i] = s;
      total += weights[i]!;
      if (s > bestScore) {
        best = i;
        bestScore = s;
      }
    }
    score[best] = bestScore - total;
    return endpoints[best];
  }

  onStart(_e: E): void {
    // Round robin ignores load.
  }

  onEnd(_e: E, _latencyMs: number, _ok: boolean): void {
    // Round robin ignores load.
  }
}
