import type { ProxyTimers } from '../../src/options/proxy-options.js';

/** Timers that only fire when the test says so; records every delay asked for. */
export class FakeTimers implements ProxyTimers {
  readonly delays: number[] = [];
  private pending = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.delays.push(ms);
    this.pending.set(id, { fn, ms });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Runs every timer pending now. */
  fireAll(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const t of due) t.fn();
  }

  /** Runs the timers pending now that asked for a delay of `ms`. */
  fireDelay(ms: number): void {
    const due = [...this.pending].filter(([, t]) => t.ms === ms);
    for (const [id] of due) this.pending.delete(id);
    for (const [, t] of due) t.fn();
  }
}
