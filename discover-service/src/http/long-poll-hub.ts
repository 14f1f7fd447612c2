import type { Lookup, MeshView } from '../state/mesh-view.js';
import type { ServerTimers } from './server-options.js';
import { etagMatches } from './etag.js';

/** How a held poll ended: the key's new lookup (changed version or gone), or `undefined` (timeout, close). */
export type WaitOutcome<T> = Lookup<T> | undefined;

interface Waiter {
  readonly etags: readonly string[];
  readonly settle: (outcome: Lookup<unknown> | undefined) => void;
}

interface WaitGroup {
  /** Same for every waiter of the key, so a change is looked up once per key. */
  readonly lookup: () => Lookup<unknown>;
  readonly waiters: Set<Waiter>;
}

/**
 * Holds long-poll requests grouped by document key. One listener on the view:
 * on a change only keys with waiters are looked up again, once each, and every
 * waiter whose version is no longer current is answered at once. The only
 * per-poll timer is its wait timeout.
 */
export class LongPollHub {
  readonly #groups = new Map<string, WaitGroup>();
  readonly #timers: ServerTimers;
  readonly #unsubscribe: () => void;
  #size = 0;
  #closed = false;

  /** `changes` is the MeshView, or anything else that says when its documents may have changed. */
  constructor(changes: Pick<MeshView, 'onChange'>, timers: ServerTimers) {
    this.#timers = timers;
    this.#unsubscribe = changes.onChange(() => this.#recheck());
  }

  /** Polls held now. */
  get size(): number {
    return this.#size;
  }

  /** Keys with at least one held poll. */
  get keys(): number {
    return this.#groups.size;
  }

  /**
   * Holds until `lookup()` gives a version outside `etags` (or no document), `waitMs` passes,
   * `signal` aborts (client gone) or the hub closes; the latter three resolve `undefined`.
   */
  wait<T>(key: string, lookup: () => Lookup<T>, etags: readonly string[], waitMs: number, signal: AbortSignal): Promise<WaitOutcome<T>> {
    if (this.#closed || signal.aborted) return Promise.resolve(undefined);
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = { lookup, waiters: new Set() };
      this.#groups.set(key, group);
    }
    const waiters = group.waiters;
    return new Promise<WaitOutcome<T>>((resolve) => {
      const settle = (outcome: Lookup<unknown> | undefined): void => {
        if (!waiters.delete(waiter)) return;
        this.#size--;
        if (waiters.size === 0 && this.#groups.get(key)?.waiters === waiters) this.#groups.delete(key);
        this.#timers.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(outcome as WaitOutcome<T>);
      };
      const onAbort = (): void => settle(undefined);
      const waiter: Waiter = { etags, settle };
      waiters.add(waiter);
      this.#size++;
      const timer = this.#timers.setTimeout(() => settle(undefined), waitMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Answers every held poll as timed out and stops listening; later waits resolve at once. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    for (const group of [...this.#groups.values()]) {
      for (const waiter of [...group.waiters]) waiter.settle(undefined);
    }
  }

  #recheck(): void {
    for (const group of [...this.#groups.values()]) {
      const outcome = group.lookup();
      const version = outcome.ok ? outcome.version : undefined;
      for (const waiter of [...group.waiters]) {
        if (version === undefined || !etagMatches(waiter.etags, version)) waiter.settle(outcome);
      }
    }
  }
}
