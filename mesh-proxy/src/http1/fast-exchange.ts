import type { Socket } from 'node:net';
import type { Logger, MeshplugError } from '@meshplug/plugin-api';
import { MeshProxyErrors } from '../errors.js';
import { rawProxyErrorResponse } from '../http/proxy-error-response.js';
import type { ProxyTimers } from '../options/proxy-options.js';
import type { AttemptOutcome } from '../policy/retry-on.js';
import { errorFor, statusLabel } from '../upstream/attempt-errors.js';
import { classifyUpstreamError } from '../upstream/classify-error.js';
import type { UpstreamCluster } from '../upstream/upstream-cluster.js';
import type { UpstreamEndpoint } from '../upstream/upstream-endpoint.js';
import { BodyFraming, FRAMING_ERROR } from './body-framing.js';
import type { OriginConnection, OriginOwner } from './origin-connection.js';
import type { OriginPools } from './origin-pools.js';
import type { RequestHead } from './request-head.js';
import { BadResponse, UNTIL_CLOSE, parseResponseHead } from './response-head.js';

/** The client connection as an exchange sees it. */
export interface ClientSide {
  /** Writes to the client; false when the upstream should wait for `waitDrain`. */
  write(data: Buffer): boolean;
  waitDrain(resume: () => void): void;
  /** Starts relaying the rest of a streamed request body to `target`. */
  streamBody(target: Socket): void;
  /** Body bytes of this request the client has not sent yet (a streamed body). */
  readonly bodyRemaining: number;
  /** The client asked for `Connection: close`, or half-closed. */
  readonly wantsClose: boolean;
  /** The exchange is over; with `close` the connection closes once the response is out. */
  exchangeDone(close: boolean): void;
  /** Cuts the client connection: the only signal left once a response has started. */
  destroy(): void;
}

export interface FastExchangeDeps {
  cluster: UpstreamCluster;
  pools: OriginPools;
  timers: ProxyTimers;
  now: () => number;
  logger: Logger;
  pendingTimeoutMs: number;
  isDraining(): boolean;
}

const enum Phase {
  Waiting,
  Head,
  Body,
  Done,
}

/**
 * One request on the HTTP/1.1 fast path: the same traffic policy as the
 * node:http path (MaxRequests, MaxConnections with the pending queue,
 * retries within the budget, RequestTimeoutMS, outlier reporting, proxy
 * errors as JSON), but the request goes out as the head the client sent and
 * the response comes back as the bytes the endpoint sent, on pooled raw
 * connections: only the heads are parsed and rewritten.
 */
export class FastExchange implements OriginOwner {
  private attempts = 0;
  private tried: Set<string> | undefined = undefined;
  /** A retry slot was taken for the next attempt. */
  private retryNext = false;
  /** The attempt in flight holds a retry slot. */
  private retryNow = false;
  private timer: unknown = undefined;
  private cancelled = false;
  private timedOut = false;
  private finished = false;
  private holdsRequest = false;
  private headSent = false;
  private waitController: AbortController | undefined = undefined;
  private endpoint: UpstreamEndpoint | undefined = undefined;
  private origin: OriginConnection | undefined = undefined;
  private bytesReadBefore = 0;
  private started = 0;
  private phase = Phase.Waiting;
  private headBuf: Buffer | undefined = undefined;
  private status = 0;
  private framing: BodyFraming | undefined = undefined;
  private closeClient = false;
  private wire: Buffer | undefined = undefined;
  private readonly onClientDrain = (): void => {
    this.origin?.socket.resume();
  };

  constructor(
    private readonly client: ClientSide,
    private readonly head: RequestHead,
    /** The whole body (null when there is none or it is streamed). */
    private readonly body: Buffer | null,
    /** The first bytes of a streamed body, or null when the body is whole. */
    private readonly bodyStart: Buffer | null,
    private readonly d: FastExchangeDeps,
  ) {}

  start(): void {
    const c = this.d.cluster;
    if (c.size === 0) return this.fail(new MeshProxyErrors.MESH_ERR_NO_ENDPOINTS(c.name));
    if (!c.breaker.tryAcquireRequest()) {
      c.stats.overflows += 1;
      return this.fail(new MeshProxyErrors.MESH_ERR_OVERFLOW(`${c.name}: MaxRequests`));
    }
    this.holdsRequest = true;
    const timeoutMs = c.policy.requestTimeoutMs;
    if (timeoutMs > 0) this.timer = this.d.timers.setTimeout(() => this.cancel(true), timeoutMs);
    c.retryBudget.recordRequest();
    this.next(undefined);
  }

  /** Ends the exchange early: the client went away, or RequestTimeoutMS passed (`timedOut`). */
  cancel(timedOut: boolean): void {
    if (this.cancelled || this.finished) return;
    this.cancelled = true;
    this.timedOut = timedOut;
    this.waitController?.abort();
    const origin = this.origin;
    if (origin !== undefined && this.phase !== Phase.Done) {
      origin.owner = undefined;
      origin.socket.destroy();
      this.attemptOver(timedOut ? 'failure' : 'cancelled');
    }
    if (!timedOut) return this.finish('aborted', true);
    if (!this.headSent) return this.fail(errorFor('timeout'));
    this.client.destroy();
    this.finish(statusLabel(this.status), true);
  }

  onOriginData(chunk: Buffer): void {
    if (this.phase === Phase.Body) return this.relay(chunk, 0, undefined);
    if (this.phase !== Phase.Head) return;
    let buf = this.headBuf === undefined ? chunk : Buffer.concat([this.headBuf, chunk]);
    for (;;) {
      const r = parseResponseHead(buf, this.head.method === 'HEAD');
      if (r === null) {
        this.headBuf = buf;
        return;
      }
      this.headBuf = undefined;
      if (r instanceof BadResponse) return this.protocolError(r.reason);
      if (r.status === 101) return this.protocolError('101 to a request that asked for no upgrade');
      if (r.status < 200) {
        // Interim responses (103) are not relayed, as on the node:http path.
        buf = buf.subarray(r.headLength);
        if (buf.length === 0) return;
        continue;
      }
      const c = this.d.cluster;
      this.status = r.status;
      c.stats.latency((this.d.now() - this.started) / 1000);
      if (this.bodyStart === null && !this.timedOut && c.tryRetry(this.head.method, this.attempts, r.status, true)) {
        // Held for a retry: its body is not wanted, so neither is the connection.
        this.retryNext = true;
        return this.dropAttempt(r.status >= 500 ? 'failure' : 'ok', r.status);
      }
      this.closeClient =
        this.client.wantsClose || this.d.isDraining() || r.bodyLength === UNTIL_CLOSE || this.client.bodyRemaining > 0;
      this.framing = new BodyFraming(r);
      this.origin!.keepAliveMs = r.keepAliveMs;
      this.phase = Phase.Body;
      this.headSent = true;
      return this.relay(buf, r.headLength, `${r.clientHead}${this.closeClient ? 'connection: close\r\n' : ''}\r\n`);
    }
  }

  onOriginEnd(err: Error | undefined): void {
    if (this.phase === Phase.Body && this.framing!.untilClose && err === undefined) return this.complete();
    const origin = this.origin!;
    const refused = this.phase === Phase.Head && origin.requests > 1 && origin.socket.bytesRead === this.bytesReadBefore && this.headBuf === undefined;
    const outcome: AttemptOutcome = err === undefined ? 'reset' : classifyUpstreamError(err);
    if (this.headSent) {
      this.attemptOver('failure');
      this.client.destroy();
      return this.finish(statusLabel(this.status), true);
    }
    this.log(outcome, err, refused);
    this.attemptOver(refused ? 'cancelled' : 'failure');
    this.afterFailure(refused ? 'refused-stream' : outcome);
  }

  private next(last: AttemptOutcome | undefined): void {
    const c = this.d.cluster;
    const e = c.pick(this.tried);
    if (e === undefined) return this.fail(last === undefined ? new MeshProxyErrors.MESH_ERR_NO_ENDPOINTS(c.name) : errorFor(last));
    this.retryNow = this.retryNext;
    this.retryNext = false;
    if (c.breaker.tryAcquireConnection()) return this.go(e);
    void c.breaker.acquireConnection(this.d.pendingTimeoutMs, this.waitSignal()).then((slot) => {
      if (slot === 'acquired') return this.go(e);
      if (this.retryNow) c.breaker.releaseRetry();
      this.retryNow = false;
      // Aborted: cancel() has answered the client already.
      if (slot === 'aborted') return;
      c.stats.overflows += 1;
      this.fail(new MeshProxyErrors.MESH_ERR_OVERFLOW(`${c.name}: MaxPendingRequests`));
    });
  }

  private go(e: UpstreamEndpoint): void {
    const c = this.d.cluster;
    this.endpoint = e;
    this.attempts += 1;
    this.phase = Phase.Waiting;
    c.onStart(e);
    this.started = this.d.now();
    const idle = this.d.pools.take(e);
    if (idle !== undefined) return this.send(idle);
    this.d.pools.connect(e, c.policy.connectionTimeoutMs, (err, origin) => {
      if (this.cancelled) {
        origin?.socket.destroy();
        return this.attemptOver(this.timedOut ? 'failure' : 'cancelled');
      }
      if (err !== undefined || origin === undefined) {
        const outcome = classifyUpstreamError(err);
        this.log(outcome, err, false);
        this.attemptOver('failure');
        return this.afterFailure(outcome);
      }
      this.send(origin);
    });
  }

  private send(origin: OriginConnection): void {
    this.origin = origin;
    this.phase = Phase.Head;
    this.bytesReadBefore = origin.socket.bytesRead;
    origin.send(this, (this.wire ??= this.requestBytes()));
    if (this.bodyStart !== null) this.client.streamBody(origin.socket);
  }

  private requestBytes(): Buffer {
    const head = this.head.upstreamHead;
    const body = this.body ?? this.bodyStart;
    if (body === null || body.length === 0) return Buffer.from(head, 'latin1');
    const out = Buffer.allocUnsafe(head.length + body.length);
    out.write(head, 0, 'latin1');
    body.copy(out, head.length);
    return out;
  }

  /** Relays body bytes `buf[start..]` (after `clientHead` when the head goes first) to the client. */
  private relay(buf: Buffer, start: number, clientHead: string | undefined): void {
    const framing = this.framing!;
    const end = framing.scan(buf, start);
    if (end === FRAMING_ERROR) return this.protocolError('bad chunked framing');
    let ok = true;
    if (clientHead !== undefined) {
      const out = Buffer.allocUnsafe(clientHead.length + end - start);
      out.write(clientHead, 0, 'latin1');
      buf.copy(out, clientHead.length, start, end);
      ok = this.client.write(out);
    } else if (end > start) {
      ok = this.client.write(start === 0 && end === buf.length ? buf : buf.subarray(start, end));
    }
    if (framing.done) return this.complete();
    if (!ok) {
      this.origin!.socket.pause();
      this.client.waitDrain(this.onClientDrain);
    }
  }

  private complete(): void {
    const origin = this.origin!;
    this.phase = Phase.Done;
    origin.owner = undefined;
    if (this.framing!.reusable && !this.cancelled && this.client.bodyRemaining === 0) {
      origin.socket.resume();
      this.origin = undefined;
      this.d.pools.release(this.endpoint!, origin);
    } else {
      origin.socket.destroy();
    }
    this.attemptOver(this.status >= 500 ? 'failure' : 'ok');
    this.finish(statusLabel(this.status), this.closeClient);
  }

  /** Ends the attempt in flight: frees its connection slot (once its socket is gone) and reports it. */
  private attemptOver(result: 'ok' | 'failure' | 'cancelled'): void {
    const c = this.d.cluster;
    const origin = this.origin;
    this.origin = undefined;
    const s = origin?.socket;
    if (s === undefined || !s.destroyed || s.closed) c.breaker.releaseConnection();
    else s.once('close', () => c.breaker.releaseConnection());
    if (this.retryNow) c.breaker.releaseRetry();
    this.retryNow = false;
    c.onEnd(this.endpoint!, this.d.now() - this.started, result);
  }

  /** Drops the attempt in flight (a response held for a retry) and makes the next one. */
  private dropAttempt(result: 'ok' | 'failure', status: number): void {
    const origin = this.origin!;
    origin.owner = undefined;
    origin.socket.destroy();
    this.attemptOver(result);
    (this.tried ??= new Set()).add(this.endpoint!.id);
    this.next(status);
  }

  private afterFailure(outcome: AttemptOutcome): void {
    if (this.cancelled) return;
    const c = this.d.cluster;
    if (this.bodyStart === null && c.tryRetry(this.head.method, this.attempts, outcome, true)) {
      this.retryNext = true;
      (this.tried ??= new Set()).add(this.endpoint!.id);
      return this.next(outcome);
    }
    this.fail(errorFor(outcome));
  }

  /** The endpoint answered something that cannot be relayed: 502, or a cut connection once the answer started. */
  private protocolError(reason: string): void {
    const origin = this.origin!;
    origin.owner = undefined;
    origin.socket.destroy();
    this.d.logger.debug({ endpoint: this.endpoint?.id, reason }, 'bad response from upstream');
    this.attemptOver('failure');
    if (this.headSent) {
      this.client.destroy();
      return this.finish(statusLabel(this.status), true);
    }
    this.fail(new MeshProxyErrors.MESH_ERR_UPSTREAM_RESET(reason));
  }

  private fail(err: MeshplugError): void {
    if (this.finished) return;
    const close = this.d.isDraining() || this.client.bodyRemaining > 0 || this.client.wantsClose;
    this.client.write(Buffer.from(rawProxyErrorResponse(err, close), 'latin1'));
    this.finish(statusLabel(err.statusCode), close);
  }

  private finish(label: string, close: boolean): void {
    if (this.finished) return;
    this.finished = true;
    const c = this.d.cluster;
    if (this.timer !== undefined) this.d.timers.clearTimeout(this.timer);
    if (this.holdsRequest) c.breaker.releaseRequest();
    c.stats.request(label);
    this.client.exchangeDone(close);
  }

  private waitSignal(): AbortSignal {
    this.waitController ??= new AbortController();
    if (this.cancelled) this.waitController.abort();
    return this.waitController.signal;
  }

  private log(outcome: string, err: Error | undefined, refused: boolean): void {
    this.d.logger.debug({ endpoint: this.endpoint?.id, outcome: refused ? 'refused-stream' : outcome, err: err?.message }, 'upstream attempt failed');
  }
}
