import type { ServerTimers } from '../../src/http/server-options.js';

/** Timers that fire only when the test says so. */
export class ManualTimers implements ServerTimers {
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  #next = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.pending.set(id, { callback, ms });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Whether a timer of `ms` is pending. */
  has(ms: number): boolean {
    return [...this.pending.values()].some((p) => p.ms === ms);
  }

  /** Fires every pending timer of `ms`; returns how many. */
  fire(ms: number): number {
    let fired = 0;
    for (const [id, { callback, ms: due }] of [...this.pending]) {
      if (due !== ms) continue;
      this.pending.delete(id);
      callback();
      fired++;
    }
    return fired;
  }

  /** Fires every pending timer, whatever its delay. */
  fireAll(): void {
    for (const [id, { callback }] of [...this.pending]) {
      this.pending.delete(id);
      callback();
    }
  }
}
