import { DiscoverErrors } from '../../errors.js';
import type { ChildGroup } from './child-group.js';

/** One attempt of a readiness check: the value once ready, else why not yet. */
export type ProbeResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Sleeps, injectable so tests do not wait for real. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  /** What is awaited, for the error message: `discover-service /readyz`. */
  what: string;
  /** Give up after this long, ms. Each probe attempt must bound itself too. */
  timeoutMs: number;
  /** Pause between attempts, ms. Default 100. */
  intervalMs?: number;
  /** Children whose unexpected exit ends the wait at once (and whose logs the error shows). */
  children?: ChildGroup;
  /** Ends the wait early (Ctrl-C during start-up). */
  signal?: AbortSignal;
  /** Default: the real clock. */
  now?: () => number;
  /** Default: a real timer. */
  sleep?: Sleep;
}

/**
 * Retries `probe` until it reports ready, the deadline passes, a watched child
 * dies or `signal` aborts. The errors name what was awaited, the last reason
 * it was not ready, and the children's last log lines.
 */
export async function waitUntil<T>(probe: () => Promise<ProbeResult<T>>, options: WaitOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const deadline = now() + options.timeoutMs;
  const logs = (): string => (options.children === undefined ? '' : `\n${options.children.tails()}`);
  let died: string | undefined;
  void options.children?.unexpectedExit.then((child) => {
    died = child.describe();
  });
  let reason = 'not tried';
  for (;;) {
    if (options.signal?.aborted) throw new DiscoverErrors.DISC_ERR_DEMO_ABORTED(`while waiting for ${options.what}`);
    if (died !== undefined) throw new DiscoverErrors.DISC_ERR_DEMO_CHILD_EXITED(`${died} while waiting for ${options.what}${logs()}`);
    const result = await probe();
    if (result.ok) return result.value;
    reason = result.reason;
    if (now() >= deadline) {
      throw new DiscoverErrors.DISC_ERR_DEMO_NOT_READY(`${options.what} within ${options.timeoutMs} ms (last: ${reason})${logs()}`);
    }
    await sleep(options.intervalMs ?? 100);
  }
}
