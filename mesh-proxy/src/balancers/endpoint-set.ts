import type { BalancedEndpoint, ExcludeFn } from './balancer.js';

/**
 * The endpoint table every balancer shares: deduplicated endpoints, sanitised
 * weights, an id index for `onStart`/`onEnd`, and weighted random selection.
 * Scratch buffers are sized in `update`, so a pick allocates nothing.
 */
export class EndpointSet<E extends BalancedEndpoint> {
  /** Current endpoints, in update order, without duplicate ids. */
  endpoints: readonly E[] = [];
  /** Weight of each endpoint by index, >= 1. */
  weights = new Float64Array(0);
  private readonly indexById = new Map<string, number>();
  /** prefix[i] = weights[0] + ... + weights[i]; lets an unfiltered pick binary-search. */
  private prefix = new Float64Array(0);
  private totalWeight = 0;
  /** Eligibility marks of the current pick, valid after `mark`. */
  private eligible = new Uint8Array(0);
  private allEligible = true;

  constructor(private readonly random: () => number) {}

  get size(): number {
    return this.endpoints.length;
  }

  /**
   * Replaces the set and returns, for each new index, the index the same id
   * had before (-1 for a new id), so balancers can carry their state over.
   */
  update(endpoints: readonly E[]): Int32Array {
    const previous = new Map(this.indexById);
    this.indexById.clear();
    const kept: E[] = [];
    for (const e of endpoints) {
      if (this.indexById.has(e.id)) continue;
      this.indexById.set(e.id, kept.length);
      kept.push(e);
    }
    const n = kept.length;
    this.endpoints = kept;
    this.weights = new Float64Array(n);
    this.prefix = new Float64Array(n);
    this.eligible = new Uint8Array(n);
    this.allEligible = true;
    const from = new Int32Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = kept[i]!;
      const w = Number.isFinite(e.weight) && e.weight >= 1 ? e.weight : 1;
      this.weights[i] = w;
      sum += w;
      this.prefix[i] = sum;
      from[i] = previous.get(e.id) ?? -1;
    }
    this.totalWeight = sum;
    return from;
  }

  /** Index of `e` by id in the current set, or -1 (removed since it was picked). */
  indexOf(e: E): number {
    return this.indexById.get(e.id) ?? -1;
  }

  /** Evaluates `exclude` once per endpoint for the pick under way; returns how many are eligible. */
  mark(exclude: ExcludeFn<E> | undefined): number {
    const n = this.endpoints.length;
    if (exclude === undefined) {
      this.allEligible = true;
      return n;
    }
    let count = 0;
    for (let i = 0; i < n; i++) {
      const ok = exclude(this.endpoints[i]!) ? 0 : 1;
      this.eligible[i] = ok;
      count += ok;
    }
    this.allEligible = count === n;
    return count;
  }

  /** Whether index `i` passed the last `mark`. */
  isEligible(i: number): boolean {
    return this.allEligible || this.eligible[i] === 1;
  }

  /** A weighted random eligible index other than `skip` (-1: none skipped); -1 when there is none. */
  weightedRandom(skip: number): number {
    return this.allEligible ? this.weightedRandomAll(skip) : this.weightedRandomMarked(skip);
  }

  /**
   * Power of two choices: two distinct weighted random candidates, the lower
   * `cost` wins and ties go to the first, so an idle set keeps the weighted
   * random distribution. -1 when nothing is eligible.
   */
  pickTwo(cost: (i: number) => number): number {
    const a = this.weightedRandom(-1);
    if (a < 0) return -1;
    const b = this.weightedRandom(a);
    if (b < 0) return a;
    return cost(b) < cost(a) ? b : a;
  }

  private weightedRandomAll(skip: number): number {
    const n = this.endpoints.length;
    let total = this.totalWeight;
    let skipStart = 0;
    let skipWeight = 0;
    if (skip >= 0) {
      skipWeight = this.weights[skip]!;
      skipStart = this.prefix[skip]! - skipWeight;
      total -= skipWeight;
    }
    if (n === 0 || total <= 0) return -1;
    let r = this.random() * total;
    // Map [0, total) onto the full range with the skipped slice cut out.
    if (skip >= 0 && r >= skipStart) r += skipWeight;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.prefix[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    // Floating-point rounding can land exactly on the skipped slice's edge.
    if (lo === skip) lo = lo + 1 < n ? lo + 1 : lo - 1;
    return lo;
  }

  private weightedRandomMarked(skip: number): number {
    const n = this.endpoints.length;
    let total = 0;
    for (let i = 0; i < n; i++) if (i !== skip && this.eligible[i] === 1) total += this.weights[i]!;
    if (total <= 0) return -1;
    let r = this.random() * total;
    let last = -1;
    for (let i = 0; i < n; i++) {
      if (i === skip || this.eligible[i] !== 1) continue;
      last = i;
      r -= this.weights[i]!;
      if (r < 0) return i;
    }
    return last;
  }
}
