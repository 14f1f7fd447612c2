import type { ProxyTimers } from '../../src/options/proxy-options.js';

/**
 * Real timers, except those of exactly `interceptMs`: they wait until the test fires them, so a
 * report period passes without sleeping while everything else (request timeouts, backoff) runs as usual.
 */
export class InterceptTimers implements ProxyTimers {
  private readonly held = new Map<object, () => void>();

  constructor(private readonly interceptMs: number) {}

  setTimeout(fn: () => void, ms: number): unknown {
    if (ms !== this.interceptMs) return setTimeout(fn, ms);
    const handle = {};
    this.held.set(handle, fn);
    return handle;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'object' && handle !== null && this.held.delete(handle)) return;
    clearTimeout(handle as NodeJS.Timeout);
  }

  /** Intercepted timers pending now. */
  get size(): number {
    return this.held.size;
  }

  /** Fires the intercepted timers pending now. */
  fire(): number {
    const due = [...this.held.values()];
    this.held.clear();
    for (const fn of due) fn();
    return due.length;
  }
}
