import type { PolicyTimers } from '../../src/policy/pending-queue.js';

/** Timers that fire only when the test advances them. */
export interface FakeTimers extends PolicyTimers {
  advance(ms: number): void;
  readonly pending: number;
}

export function fakeTimers(): FakeTimers {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout(fn, ms) {
      seq += 1;
      timers.set(seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      now += ms;
      const due = [...timers.entries()].filter(([, v]) => v.at <= now).sort((x, y) => x[1].at - y[1].at);
      for (const [id, v] of due) {
        timers.delete(id);
        v.fn();
      }
    },
    get pending() {
      return timers.size;
    },
  };
}
