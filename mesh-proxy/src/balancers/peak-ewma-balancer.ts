import type { BalancedEndpoint, Balancer, ExcludeFn } from './balancer.js';
import { EndpointSet } from './endpoint-set.js';

/** Mean lifetime of a latency observation (Linkerd and Finagle use 10 s). */
export const PEAK_EWMA_DECAY_MS = 10_000;

/**
 * Cost of an endpoint with a request in flight but no latency yet: it
 * dominates every measured cost, so unknown endpoints get one probe at a time.
 */
const UNPROBED_PENALTY_MS = 1e12;

/**
 * Peak-EWMA (Finagle, Linkerd): per endpoint a moving average of latency that
 * jumps to any higher observation at once and decays towards lower ones over
 * {@link PEAK_EWMA_DECAY_MS}; cost = ewma * (active + 1) / weight, compared
 * between two weighted random candidates (power of two choices). An idle
 * endpoint without data costs 0, so new endpoints are probed first.
 */
export class PeakEwmaBalancer<E extends BalancedEndpoint = BalancedEndpoint> implements Balancer<E> {
  readonly policy = 'peak_ewma' as const;
  private readonly set: EndpointSet<E>;
  private ewma = new Float64Array(0);
  private stamp = new Float64Array(0);
  private active = new Float64Array(0);
  /** Clock of the pick under way, read at most once per pick (NaN: not read yet). */
  private pickTime = Number.NaN;
  /** Bound once so a pick allocates nothing. Decays the average to the pick's time without storing it. */
  private readonly cost = (i: number): number => {
    if (Number.isNaN(this.pickTime)) this.pickTime = this.now();
    const elapsed = Math.max(this.pickTime - this.stamp[i]!, 0);
    const ewma = this.ewma[i]! * Math.exp(-elapsed / PEAK_EWMA_DECAY_MS);
    const active = this.active[i]!;
    const load = ewma === 0 && active > 0 ? UNPROBED_PENALTY_MS + active : ewma * (active + 1);
    return load / this.set.weights[i]!;
  };

  constructor(
    random: () => number,
    private readonly now: () => number,
  ) {
    this.set = new EndpointSet<E>(random);
  }

  update(endpoints: readonly E[]): void {
    const from = this.set.update(endpoints);
    const n = from.length;
    const ewma = new Float64Array(n);
    const stamp = new Float64Array(n);
    const active = new Float64Array(n);
    const t = this.now();
    for (let i = 0; i < n; i++) {
      const j = from[i]!;
      if (j >= 0) {
        ewma[i] = this.ewma[j]!;
        stamp[i] = this.stamp[j]!;
        active[i] = this.active[j]!;
      } else {
        stamp[i] = t;
      }
    }
    this.ewma = ewma;
    this.stamp = stamp;
    this.active = active;
  }

  pick(exclude?: ExcludeFn<E>): E | undefined {
    if (this.set.mark(exclude) === 0) return undefined;
    this.pickTime = Number.NaN;
    const i = this.set.pickTwo(this.cost);
    return i < 0 ? undefined : this.set.endpoints[i];
  }

  onStart(e: E): void {
    const i = this.set.indexOf(e);
    if (i >= 0) this.active[i]! += 1;
  }

  onEnd(e: E, latencyMs: number, ok: boolean): void {
    const i = this.set.indexOf(e);
    if (i < 0) return;
    if (this.active[i]! > 0) this.active[i]! -= 1;
    const rtt = Number.isFinite(latencyMs) && latencyMs > 0 ? latencyMs : 0;
    // A failure never makes an endpoint look faster: fast errors must not attract traffic.
    this.observe(i, ok ? rtt : Math.max(rtt, this.ewma[i]!));
  }

  /** Decays the average by the time since the last observation, then folds in `rtt` (peaks win at once). */
  private observe(i: number, rtt: number): void {
    const t = this.now();
    const elapsed = Math.max(t - this.stamp[i]!, 0);
    const w = Math.exp(-elapsed / PEAK_EWMA_DECAY_MS);
    const ewma = this.ewma[i]!;
    this.ewma[i] = rtt > ewma ? rtt : ewma * w + rtt * (1 - w);
    this.stamp[i] = t;
  }
}
