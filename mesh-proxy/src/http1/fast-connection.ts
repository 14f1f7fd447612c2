import type { Socket } from 'node:net';
import { closeAfterFlush } from '../tcp/connect-upstream.js';
import { FastExchange, type ClientSide, type FastExchangeDeps } from './fast-exchange.js';
import { FALLBACK, parseRequestHead } from './request-head.js';

/** What a fast connection needs from its listener. */
export interface FastConnectionDeps extends FastExchangeDeps {
  /** Bodies up to this are read whole before dispatch (retryable); larger ones stream. */
  retryBufferBytes: number;
  /** Whether the fast path may serve this cluster's requests now (its route options are the defaults). */
  eligible(): boolean;
  /** Gives the connection to node:http from here on; `unread` goes first. */
  handOff(socket: Socket, unread: Buffer | undefined): void;
  /** Longest a request head may take to arrive. */
  headersTimeoutMs: number;
}

/** Pipelined bytes buffered while a request is in flight, before the client is paused. */
const PIPELINE_BUFFER_BYTES = 65_536;

const noop = (): void => {};

/**
 * One client connection on the HTTP/1.1 fast path: reads request heads,
 * runs one exchange at a time (pipelined requests wait in the buffer), and
 * hands the connection to node:http at a request boundary as soon as a
 * request is not one the fast path forwards, so node's parser and the full
 * forwarder serve it and everything after it.
 */
export class FastConnection implements ClientSide {
  private buf: Buffer | undefined = undefined;
  private exchange: FastExchange | undefined = undefined;
  private closed = false;
  private ended = false;
  private closeRequested = false;
  /** `now()` when the connection last went idle. */
  private idleSince: number;
  /** `now()` when the request head (or buffered body) being waited for started to arrive; 0 when none is. */
  private headSince = 0;
  private parsing = false;
  private bodyTarget: Socket | undefined = undefined;
  private bodyPending: Buffer[] | undefined = undefined;
  private drainWaiter: (() => void) | undefined = undefined;
  bodyRemaining = 0;
  private readonly client: string | undefined;
  private readonly onData = (chunk: Buffer): void => this.data(chunk);
  private readonly onEnd = (): void => this.clientEnded();
  private readonly onClose = (): void => this.clientClosed();
  private readonly onDrain = (): void => {
    const w = this.drainWaiter;
    this.drainWaiter = undefined;
    w?.();
  };
  private readonly onBodyDrain = (): void => {
    this.socket.resume();
  };

  constructor(
    readonly socket: Socket,
    private readonly d: FastConnectionDeps,
  ) {
    this.idleSince = d.now();
    const remote = socket.remoteAddress;
    this.client = remote?.startsWith('::ffff:') ? remote.slice(7) : remote;
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onClose);
    socket.on('drain', this.onDrain);
    socket.on('error', noop);
  }

  /** Between requests with nothing buffered: safe to close. */
  get idle(): boolean {
    return this.exchange === undefined && this.buf === undefined && !this.closed;
  }

  get wantsClose(): boolean {
    return this.closeRequested || this.ended;
  }

  /** Closes the connection if it is between requests (a drain). */
  closeIdle(): void {
    if (this.idle) this.socket.destroy();
  }

  /**
   * The keep-alive sweep: closes the connection once it has been idle for
   * `keepAliveMs`, or has spent longer than the headers timeout on one
   * request head (a slow client holding a connection open).
   */
  sweep(now: number, keepAliveMs: number): void {
    if (this.idle && now - this.idleSince >= keepAliveMs) this.socket.destroy();
    else if (this.headSince > 0 && now - this.headSince >= this.d.headersTimeoutMs) this.socket.destroy();
  }

  write(data: Buffer): boolean {
    if (this.closed) return true;
    return this.socket.write(data);
  }

  waitDrain(resume: () => void): void {
    this.drainWaiter = resume;
  }

  streamBody(target: Socket): void {
    this.bodyTarget = target;
    const pending = this.bodyPending;
    this.bodyPending = undefined;
    if (pending !== undefined) for (const b of pending) target.write(b);
    this.socket.resume();
  }

  destroy(): void {
    this.socket.destroy();
  }

  exchangeDone(close: boolean): void {
    this.exchange = undefined;
    this.bodyTarget = undefined;
    this.bodyPending = undefined;
    this.idleSince = this.d.now();
    if (this.closed) return;
    if (close || this.ended) {
      this.socket.off('data', this.onData);
      closeAfterFlush(this.socket);
      return;
    }
    this.socket.resume();
    if (this.buf !== undefined) this.parse();
  }

  private data(chunk: Buffer): void {
    if (this.bodyRemaining > 0) {
      const n = Math.min(this.bodyRemaining, chunk.length);
      this.bodyRemaining -= n;
      const part = n === chunk.length ? chunk : chunk.subarray(0, n);
      const target = this.bodyTarget;
      if (target === undefined) {
        (this.bodyPending ??= []).push(part);
        this.socket.pause();
      } else if (!target.destroyed && !target.write(part)) {
        this.socket.pause();
        target.once('drain', this.onBodyDrain);
      }
      if (n === chunk.length) return;
      chunk = chunk.subarray(n);
    }
    this.buf = this.buf === undefined ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.exchange === undefined) return this.parse();
    if (this.buf.length > PIPELINE_BUFFER_BYTES) this.socket.pause();
  }

  /**
   * Starts the exchanges of the buffered requests, one at a time. A loop, not
   * recursion: an exchange that ends at once (a proxy error) lets the next
   * pipelined request start without growing the stack.
   */
  private parse(): void {
    if (this.parsing) return;
    this.parsing = true;
    try {
      while (this.exchange === undefined && this.buf !== undefined && !this.closed && this.start(this.buf));
    } finally {
      this.parsing = false;
    }
  }

  /** Starts the exchange of the request at the start of `buf`; false when its bytes are not all there yet. */
  private start(buf: Buffer): boolean {
    const head = parseRequestHead(buf, this.client);
    if (head === null) {
      if (this.headSince === 0) this.headSince = this.d.now();
      return false;
    }
    if (head === FALLBACK || !this.d.eligible()) {
      this.handOff();
      return false;
    }
    const n = head.contentLength;
    const bodyEnd = head.headLength + n;
    let exchange: FastExchange;
    if (n <= this.d.retryBufferBytes) {
      if (buf.length < bodyEnd) {
        if (this.headSince === 0) this.headSince = this.d.now();
        return false;
      }
      this.buf = buf.length > bodyEnd ? buf.subarray(bodyEnd) : undefined;
      exchange = new FastExchange(this, head, n > 0 ? buf.subarray(head.headLength, bodyEnd) : null, null, this.d);
    } else {
      const have = Math.min(buf.length, bodyEnd);
      this.buf = buf.length > bodyEnd ? buf.subarray(bodyEnd) : undefined;
      this.bodyRemaining = bodyEnd - have;
      // Held until the upstream connection is there; then streamed with backpressure.
      this.socket.pause();
      exchange = new FastExchange(this, head, null, buf.subarray(head.headLength, have), this.d);
    }
    this.closeRequested = head.close;
    this.headSince = 0;
    this.exchange = exchange;
    exchange.start();
    return true;
  }

  private handOff(): void {
    const socket = this.socket;
    socket.pause();
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('close', this.onClose);
    socket.off('drain', this.onDrain);
    socket.off('error', noop);
    this.closed = true;
    const unread = this.buf;
    this.buf = undefined;
    this.d.handOff(socket, unread);
  }

  private clientEnded(): void {
    this.ended = true;
    if (this.exchange === undefined) this.socket.end();
  }

  private clientClosed(): void {
    this.closed = true;
    this.exchange?.cancel(false);
  }
}
