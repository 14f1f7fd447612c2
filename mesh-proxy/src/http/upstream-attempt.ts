import type { Dispatcher } from 'undici';
import type { Exchange } from './exchange.js';
import { downstreamRawResponseHeaders } from './forwarded-headers.js';

/** What the forwarder decides when the response head arrives. */
export interface AttemptHooks {
  /** True to hold this response back for a retry (its body is then discarded). */
  holdForRetry(ex: Exchange, status: number): boolean;
  /** True while the listener drains: the response then carries `connection: close`. */
  isDraining(): boolean;
  now(): number;
}

/**
 * One try of an exchange on one endpoint, as an undici dispatch handler: the
 * request head is written once from the raw header list, the response head is
 * relayed with `writeHead(status, rawList)` and its body written straight to
 * the client, pausing the upstream while the client is slow.
 *
 * It uses undici's `onConnect/onHeaders/onData/onComplete/onError` handler
 * shape because undici 7 runs it natively; the newer controller shape is
 * adapted per request (a wrapper, a controller and a parsed header object).
 */
export class UpstreamAttempt implements Dispatcher.DispatchHandler {
  /** Response status; 0 until a final response head arrived. */
  status = 0;
  /** The response was held for a retry. */
  held = false;
  /** Why the attempt failed; undefined when the response completed. */
  error: Error | undefined = undefined;
  /** `now()` when the response head arrived; 0 before. */
  headersAt = 0;
  readonly finished: Promise<UpstreamAttempt>;
  private settle!: (a: UpstreamAttempt) => void;
  private abort: ((err?: Error) => void) | undefined = undefined;
  private cancelled = false;
  private settled = false;
  private resume: (() => void) | undefined = undefined;
  private readonly onDrain = (): void => this.resume?.();

  constructor(
    private readonly ex: Exchange,
    private readonly hooks: AttemptHooks,
  ) {
    this.finished = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  /** Aborts the request upstream (now, or as soon as undici hands over its abort). */
  cancel(): void {
    this.cancelled = true;
    this.abort?.();
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    if (this.cancelled) abort();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // 1xx: the proxy answered `Expect` itself; other interim responses are not relayed.
    if (statusCode < 200) return true;
    this.status = statusCode;
    this.headersAt = this.hooks.now();
    if (this.hooks.holdForRetry(this.ex, statusCode)) {
      this.held = true;
      return true;
    }
    const headers = downstreamRawResponseHeaders(rawHeaders);
    if (this.hooks.isDraining()) headers.push('connection', 'close');
    this.resume = resume;
    try {
      this.ex.res.writeHead(statusCode, headers);
    } catch (err) {
      // A head node:http refuses to write; nothing reached the client, so the forwarder answers 502.
      this.abort?.(err as Error);
      return false;
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.held) return true;
    const res = this.ex.res;
    if (res.write(chunk)) return true;
    res.once('drain', this.onDrain);
    return false;
  }

  onComplete(): void {
    if (!this.held) this.ex.res.end();
    this.finish(undefined);
  }

  onError(err: Error): void {
    // A relayed response cut short can only be signalled by cutting the client's connection too.
    if (!this.held && this.ex.res.headersSent) this.ex.res.destroy();
    this.finish(err);
  }

  private finish(err: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.error = err;
    this.ex.res.off('drain', this.onDrain);
    this.settle(this);
  }
}
