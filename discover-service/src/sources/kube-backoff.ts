/**
 * Capped exponential backoff with "equal jitter": attempt n waits between
 * half and all of min(max, min * 2^n), so restarts spread out but never
 * exceed `maxMs`.
 */
export class KubeBackoff {
  private attempt = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number,
  ) {}

  /** The delay before the next restart; each call doubles the base until the cap. */
  next(): number {
    const base = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    return Math.round(base / 2 + (base / 2) * this.random());
  }

  /** After a success, start over from `minMs`. */
  reset(): void {
    this.attempt = 0;
  }
}
