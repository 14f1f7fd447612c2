/** Timer functions, injectable so tests need no real sleeps. */
export interface PolicyTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** How a wait ended. */
export type WaitOutcome = 'acquired' | 'timeout' | 'aborted';

interface Waiter {
  settled: boolean;
  resolve: (outcome: WaitOutcome) => void;
  timer: unknown;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const realTimers: PolicyTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * FIFO of callers waiting for a slot (Envoy's pending requests). `grant`
 * hands one slot to the oldest waiter still waiting; waiters leave on their
 * own timeout or abort signal. The caller bounds the length.
 */
export class PendingQueue {
  private items: Waiter[] = [];
  private head = 0;
  private live = 0;

  constructor(private readonly timers: PolicyTimers = realTimers) {}

  /** Waiters still waiting. */
  get length(): number {
    return this.live;
  }

  /** Waits until `grant` gives this caller a slot, `timeoutMs` passes, or `signal` aborts. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<WaitOutcome> {
    if (signal?.aborted) return Promise.resolve('aborted');
    return new Promise<WaitOutcome>((resolve) => {
      const w: Waiter = { settled: false, resolve, timer: undefined, signal, onAbort: undefined };
      w.timer = this.timers.setTimeout(() => this.settle(w, 'timeout'), timeoutMs);
      if (signal) {
        w.onAbort = () => this.settle(w, 'aborted');
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.items.push(w);
      this.live += 1;
    });
  }

  /** Gives a slot to the oldest waiter; false when nobody waits (the caller keeps the slot free). */
  grant(): boolean {
    while (this.head < this.items.length) {
      const w = this.items[this.head]!;
      this.head += 1;
      if (w.settled) continue;
      this.settle(w, 'acquired');
      return true;
    }
    return false;
  }

  /** Ends every wait with 'aborted' (drain, cluster removed). */
  clear(): void {
    const waiting = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    for (const w of waiting) this.settle(w, 'aborted');
  }

  private settle(w: Waiter, outcome: WaitOutcome): void {
    if (w.settled) return;
    w.settled = true;
    this.live -= 1;
    this.timers.clearTimeout(w.timer);
    if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
    w.resolve(outcome);
    this.compact();
  }

  /** Drops settled entries (granted, timed out, aborted) once they outnumber the live ones. */
  private compact(): void {
    if (this.live === 0) {
      this.items = [];
      this.head = 0;
    } else if (this.items.length > 64 && this.items.length > 2 * this.live) {
      this.items = this.items.filter((w, i) => i >= this.head && !w.settled);
      this.head = 0;
    }
  }
}
