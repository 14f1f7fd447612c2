import { MeshProxyErrors } from '../errors.js';

/** Retry budget settings (Linkerd/Finagle; Envoy's `retry_budget` is the concurrent analogue). */
export interface RetryBudgetOptions {
  /** Retries allowed per original request over the window: 0.2 lets retries add at most 20% load. Default 0.2. */
  ratio?: number;
  /** Retries always allowed per second of window, so a quiet service can still retry. Default 3. */
  minRetriesPerSecond?: number;
  /** Window over which requests and retries are counted, ms (Linkerd's TTL). Default 10000. */
  windowMs?: number;
  /** Monotonic clock, ms. Default `performance.now`. */
  now?: () => number;
}

/** The defaults, in one place. */
export const RETRY_BUDGET_DEFAULTS = Object.freeze({ ratio: 0.2, minRetriesPerSecond: 3, windowMs: 10_000 });

/** The window is kept as this many slices, each expiring as a whole. */
const SLICES = 10;

/**
 * Bounds retries so they cannot turn an outage into a retry storm: within the
 * last `windowMs`, retries <= ratio * requests + minRetriesPerSecond * window
 * seconds. `recordRequest` deposits (original requests only), `tryRetry`
 * withdraws. Counts live in a ring of slices, so nothing is allocated per call.
 */
export class RetryBudget {
  private readonly ratio: number;
  private readonly reserve: number;
  private readonly sliceMs: number;
  private readonly now: () => number;
  private readonly requests = new Float64Array(SLICES);
  private readonly retries = new Float64Array(SLICES);
  private slice = Number.NEGATIVE_INFINITY;
  private allowed = 0;
  private denied = 0;

  constructor(options: RetryBudgetOptions = {}) {
    const bad = (field: string, value: unknown): never => {
      throw new MeshProxyErrors.MESH_ERR_INVALID_OPTIONS(`retry budget ${field}: ${String(value)}`);
    };
    const ratio = options.ratio ?? RETRY_BUDGET_DEFAULTS.ratio;
    const min = options.minRetriesPerSecond ?? RETRY_BUDGET_DEFAULTS.minRetriesPerSecond;
    const windowMs = options.windowMs ?? RETRY_BUDGET_DEFAULTS.windowMs;
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1000) bad('ratio', ratio);
    if (!Number.isFinite(min) || min < 0 || min > 1_000_000) bad('minRetriesPerSecond', min);
    if (!Number.isInteger(windowMs) || windowMs < SLICES || windowMs > 3_600_000) bad('windowMs', windowMs);
    this.ratio = ratio;
    this.reserve = (min * windowMs) / 1000;
    this.sliceMs = windowMs / SLICES;
    this.now = options.now ?? (() => performance.now());
  }

  /** An original request was sent (retries are not deposits). */
  recordRequest(): void {
    this.requests[this.advance()]! += 1;
  }

  /** Whether one more retry fits the budget; when it does, it is counted. */
  tryRetry(): boolean {
    const i = this.advance();
    if (this.balance() < 1) {
      this.denied += 1;
      return false;
    }
    this.retries[i]! += 1;
    this.allowed += 1;
    return true;
  }

  /** Retries that would be allowed now. */
  available(): number {
    this.advance();
    return Math.max(0, Math.floor(this.balance()));
  }

  /** Counters for `/stats`. */
  stats(): { retriesAllowed: number; retriesDenied: number } {
    return { retriesAllowed: this.allowed, retriesDenied: this.denied };
  }

  private balance(): number {
    let requests = 0;
    let retries = 0;
    for (let i = 0; i < SLICES; i++) {
      requests += this.requests[i]!;
      retries += this.retries[i]!;
    }
    return this.reserve + this.ratio * requests - retries;
  }

  /** Moves to the slice of `now`, clearing the ones that fell out of the window; returns its index. */
  private advance(): number {
    const slice = Math.floor(this.now() / this.sliceMs);
    if (slice - this.slice >= SLICES) {
      this.requests.fill(0);
      this.retries.fill(0);
    } else {
      for (let s = this.slice + 1; s <= slice; s++) {
        const i = ((s % SLICES) + SLICES) % SLICES;
        this.requests[i] = 0;
        this.retries[i] = 0;
      }
    }
    // A clock that steps back keeps counting in the newest slice.
    if (slice > this.slice) this.slice = slice;
    return ((this.slice % SLICES) + SLICES) % SLICES;
  }
}
