/**
 * Exponential backoff with full jitter (AWS architecture blog): the n-th consecutive
 * failure waits a uniform random time in [0, min(cap, base * 2^(n-1))). Jitter spreads
 * the retries of many sidecars after a discover-service restart; the cap bounds the
 * time a sidecar stays stale once the service is back.
 */
export class Backoff {
  readonly #baseMs: number;
  readonly #capMs: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(baseMs: number, capMs: number, random: () => number = Math.random) {
    this.#baseMs = baseMs;
    this.#capMs = capMs;
    this.#random = random;
  }

  /** Consecutive failures so far (0 after a success). */
  get attempt(): number {
    return this.#attempt;
  }

  /** The ceiling of the delay for a given attempt (1-based), before jitter. */
  ceiling(attempt: number): number {
    // 2^exponent overflows to Infinity long after the cap is reached; min() keeps it finite.
    return Math.min(this.#capMs, this.#baseMs * 2 ** Math.max(0, attempt - 1));
  }

  /** Records one failure and returns how long to wait before the next try, in ms. */
  next(): number {
    this.#attempt += 1;
    const r = Math.min(Math.max(this.#random(), 0), 1);
    return Math.floor(r * this.ceiling(this.#attempt));
  }

  /** A success: the next failure starts again from the base delay. */
  reset(): void {
    this.#attempt = 0;
  }
}
