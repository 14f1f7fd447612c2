import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UpstreamAttempt } from './upstream-attempt.js';

/**
 * One downstream request on its way through the proxy. Cancelling it (client
 * gone, request timeout) aborts the upstream attempt in flight, or a wait for
 * a connection slot, without an AbortController per request: one is made
 * only when the request has to queue.
 */
export class Exchange {
  /** The whole body when it fit the retry buffer; null when there is none or it is streamed. */
  body: Buffer | null = null;
  /** A streamed body's chunks read so far (it did not fit the buffer); null otherwise. Never replayable. */
  bodyStart: Buffer[] | null = null;
  timedOut = false;
  cancelled = false;
  attempts = 0;
  /** Endpoints tried, made on the first retry. */
  tried: Set<string> | undefined = undefined;
  /** A retry slot was taken for the next attempt and must be released after it. */
  retryHeld = false;
  /** The attempt in flight, if any. */
  current: UpstreamAttempt | undefined = undefined;
  private waitController: AbortController | undefined = undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly path: string,
    readonly headers: string[],
  ) {}

  /** A signal for waiting in the pending queue; aborted by `cancel`. */
  waitSignal(): AbortSignal {
    this.waitController ??= new AbortController();
    if (this.cancelled) this.waitController.abort();
    return this.waitController.signal;
  }

  cancel(timedOut: boolean): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.timedOut = timedOut;
    this.current?.cancel();
    this.waitController?.abort();
  }
}
