import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { expectSocket, forgetSocket, type SocketListener } from '../upstream/request-socket.js';
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
export class UpstreamAttempt implements Dispatcher.DispatchHandler, SocketListener {
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
  /** The upstream socket the request went out on, once undici wrote it. */
  private socket: Socket | undefined = undefined;
  /** `socket.bytesRead` when the request went out: more than 0 on a reused keep-alive connection. */
  private bytesReadBefore = 0;

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

  /**
   * The request went out on a reused keep-alive connection that closed before
   * any byte of the answer arrived: the endpoint closed it as idle (a drain, a
   * keep-alive timeout) while the request was on its way, so it never
   * processed the request (Envoy's refused stream).
   */
  get refusedStream(): boolean {
    const s = this.socket;
    return this.error !== undefined && !this.cancelled && s !== undefined && s.destroyed && this.bytesReadBefore > 0 && s.bytesRead === this.bytesReadBefore;
  }

  /**
   * When the attempt's socket is being destroyed (a timeout, a reset), resolves
   * once it is closed; undefined when there is nothing to wait for. A
   * connection slot is freed only then, so MaxConnections bounds sockets too.
   */
  socketClosing(): Promise<void> | undefined {
    const s = this.socket;
    if (s === undefined || !s.destroyed || s.closed) return undefined;
    return new Promise((resolve) => s.once('close', () => resolve()));
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    if (this.cancelled) abort();
    else expectSocket(this);
  }

  onSocket(socket: Socket): void {
    this.socket = socket;
    this.bytesReadBefore = socket.bytesRead;
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
    forgetSocket(this);
    this.ex.res.off('drain', this.onDrain);
    this.settle(this);
  }
}
