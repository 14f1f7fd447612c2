import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, MeshplugError } from '@meshplug/plugin-api';
import { errorFor, statusLabel } from '../upstream/attempt-errors.js';
import { MeshProxyErrors } from '../errors.js';
import type { ProxyTimers } from '../options/proxy-options.js';
import type { AttemptOutcome } from '../policy/retry-on.js';
import { classifyUpstreamError } from '../upstream/classify-error.js';
import type { EndpointPools } from '../upstream/endpoint-pools.js';
import type { UpstreamCluster } from '../upstream/upstream-cluster.js';
import type { UpstreamEndpoint } from '../upstream/upstream-endpoint.js';
import { Exchange } from './exchange.js';
import { upstreamRequestHeaders } from './forwarded-headers.js';
import { sendProxyError } from './proxy-error-response.js';
import { readBodyStart, streamedBody } from './request-body.js';
import { requestTarget, unforwardableReason } from './request-target.js';
import { routeMatches } from './route-match.js';
import { UpstreamAttempt, type AttemptHooks } from './upstream-attempt.js';

export interface HttpForwarderDeps {
  logger: Logger;
  timers: ProxyTimers;
  now: () => number;
  /** Bodies up to this are read whole before dispatch (retryable, framing checked); larger ones stream. */
  retryBufferBytes: number;
  /** Longest wait for a connection slot when MaxConnections is reached. */
  pendingTimeoutMs: number;
  /** True once the listener drains: responses then carry `connection: close`. */
  isDraining(): boolean;
}

/** `invalid`: undici refused the request itself (a header or method it cannot send); not the endpoint's fault. */
type AttemptEnd = 'done' | 'cancelled' | 'invalid' | AttemptOutcome;

const INVALID_REQUEST = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED']);

/**
 * HTTP/1.1 forwarding for one listener: per-request balancing over keep-alive
 * undici pools, bodies streamed both ways with backpressure, and the traffic
 * policy of the cluster (circuit breakers, retries within a budget, request
 * timeout, outlier reporting). Errors it makes are 502/503/504 JSON answers.
 *
 * The common request (default route, a free connection slot) costs the
 * exchange, its header list, one close listener and one dispatch handler per
 * attempt: no AbortController, no response stream, no prom-client call, and a
 * timer only when RequestTimeoutMS is set.
 */
export class HttpForwarder implements AttemptHooks {
  private readonly log: Logger;
  readonly now: () => number;

  constructor(
    private readonly cluster: UpstreamCluster,
    private readonly pools: EndpointPools,
    private readonly deps: HttpForwarderDeps,
  ) {
    this.log = deps.logger.child({ cluster: cluster.name });
    this.now = deps.now;
  }

  isDraining(): boolean {
    return this.deps.isDraining();
  }

  handle(req: IncomingMessage, res: ServerResponse, expectContinue = false): void {
    void this.forward(req, res, expectContinue);
  }

  private async forward(req: IncomingMessage, res: ServerResponse, expectContinue: boolean): Promise<void> {
    const cluster = this.cluster;
    try {
      const refused = unforwardableReason(req);
      if (refused !== undefined) return this.fail(req, res, new MeshProxyErrors.MESH_ERR_BAD_REQUEST(refused));
      const target = requestTarget(req);
      const headers = upstreamRequestHeaders(req.rawHeaders, req.headers, {
        remoteAddress: req.socket.remoteAddress,
        proto: 'http',
        ...(target.rewriteHost ? { host: target.host } : {}),
      });
      if (headers === null) return this.fail(req, res, new MeshProxyErrors.MESH_ERR_BAD_REQUEST('more than one Host'));
      const path = target.path;
      if (!(cluster.routesAll && path.charCodeAt(0) === 47) && !routeMatches(cluster.policy, target.host, path, req.headers)) {
        return this.fail(req, res, new MeshProxyErrors.MESH_ERR_NO_ROUTE(`${target.host ?? ''}${path}`));
      }
      if (cluster.size === 0) return this.fail(req, res, new MeshProxyErrors.MESH_ERR_NO_ENDPOINTS(cluster.name));
      if (!cluster.breaker.tryAcquireRequest()) {
        cluster.stats.overflows += 1;
        return this.fail(req, res, new MeshProxyErrors.MESH_ERR_OVERFLOW(`${cluster.name}: MaxRequests`));
      }
      try {
        await this.exchange(new Exchange(req, res, path, headers), expectContinue);
      } finally {
        cluster.breaker.releaseRequest();
      }
    } catch (err) {
      // Reading the body fails when the client goes away; that is no proxy fault.
      if (req.destroyed || res.destroyed) this.log.debug({ err: (err as Error).message }, 'client went away');
      else this.log.error({ err }, 'forwarding failed');
      sendProxyError(res, new MeshProxyErrors.MESH_ERR_UPSTREAM_RESET((err as Error).message), true);
    } finally {
      cluster.stats.request(res.headersSent ? statusLabel(res.statusCode) : 'aborted');
    }
  }

  private async exchange(ex: Exchange, expectContinue: boolean): Promise<void> {
    const cluster = this.cluster;
    const { req, res } = ex;
    const onClose = (): void => {
      if (!res.writableFinished) ex.cancel(false);
    };
    res.once('close', onClose);
    const timeoutMs = cluster.policy.requestTimeoutMs;
    const timer = timeoutMs > 0 ? this.deps.timers.setTimeout(() => ex.cancel(true), timeoutMs) : undefined;
    try {
      if (expectContinue) res.writeContinue();
      if (req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0) {
        const start = await readBodyStart(req, this.deps.retryBufferBytes);
        if (start.complete) ex.body = Buffer.concat(start.chunks);
        else ex.bodyStart = start.chunks;
      }
      cluster.retryBudget.recordRequest();
      await this.attempts(ex);
    } finally {
      if (timer !== undefined) this.deps.timers.clearTimeout(timer);
      res.off('close', onClose);
    }
  }

  private async attempts(ex: Exchange): Promise<void> {
    const cluster = this.cluster;
    let last: AttemptOutcome | undefined;
    for (;;) {
      const e = cluster.pick(ex.tried);
      if (e === undefined) {
        return this.fail(ex.req, ex.res, last === undefined ? new MeshProxyErrors.MESH_ERR_NO_ENDPOINTS(cluster.name) : errorFor(last));
      }
      const retryHeld = ex.retryHeld;
      ex.retryHeld = false;
      // The usual case takes a free slot synchronously; only a full cluster waits in the pending queue.
      const slot = cluster.breaker.tryAcquireConnection()
        ? 'acquired'
        : await cluster.breaker.acquireConnection(this.deps.pendingTimeoutMs, ex.waitSignal());
      if (slot !== 'acquired') {
        if (retryHeld) cluster.breaker.releaseRetry();
        if (slot === 'aborted' && !ex.timedOut) return;
        if (slot !== 'aborted') cluster.stats.overflows += 1;
        return this.fail(ex.req, ex.res, slot === 'aborted' ? errorFor('timeout') : new MeshProxyErrors.MESH_ERR_OVERFLOW(`${cluster.name}: MaxPendingRequests`));
      }
      const attempt = new UpstreamAttempt(ex, this);
      let end: AttemptEnd;
      try {
        end = await this.attempt(ex, e, attempt);
      } finally {
        // A cut attempt's socket is still closing; its slot frees once it is gone, or the pool would open a replacement meanwhile.
        const closing = attempt.socketClosing();
        if (closing === undefined) cluster.breaker.releaseConnection();
        else void closing.then(() => cluster.breaker.releaseConnection());
        if (retryHeld) cluster.breaker.releaseRetry();
      }
      if (end === 'done' || end === 'cancelled') return;
      if (end === 'invalid') return this.fail(ex.req, ex.res, new MeshProxyErrors.MESH_ERR_BAD_REQUEST(ex.req.method));
      last = end;
      if (ex.retryHeld || this.takeRetry(ex, end)) {
        (ex.tried ??= new Set()).add(e.id);
        continue;
      }
      return this.fail(ex.req, ex.res, errorFor(end));
    }
  }

  /** One try on one endpoint; the response goes to the client unless it is held for a retry. */
  private async attempt(ex: Exchange, e: UpstreamEndpoint, attempt: UpstreamAttempt): Promise<AttemptEnd> {
    const cluster = this.cluster;
    const started = this.deps.now();
    ex.attempts += 1;
    cluster.onStart(e);
    ex.current = attempt;
    if (ex.cancelled) attempt.cancel();
    const pool = this.pools.get(e, cluster.policy);
    pool.dispatch(
      { path: ex.path, method: ex.req.method ?? 'GET', headers: ex.headers, body: ex.bodyStart !== null ? streamedBody(ex.req, ex.bodyStart) : ex.body },
      attempt,
    );
    const a = await attempt.finished;
    ex.current = undefined;
    if (a.headersAt !== 0) cluster.stats.latency((a.headersAt - started) / 1000);
    const elapsed = this.deps.now() - started;
    if (a.error === undefined) {
      cluster.onEnd(e, elapsed, a.status >= 500 ? 'failure' : 'ok');
      return a.held ? a.status : 'done';
    }
    const err = a.error;
    const invalid = a.status === 0 && INVALID_REQUEST.has(String((err as { code?: unknown }).code));
    const cancelled = invalid || (ex.cancelled && !ex.timedOut);
    const outcome = ex.timedOut ? 'timeout' : classifyUpstreamError(err);
    // A refused stream says nothing of the endpoint's health: it closed an idle connection, as servers do.
    const refused = outcome === 'reset' && a.refusedStream;
    cluster.onEnd(e, elapsed, cancelled || refused ? 'cancelled' : 'failure');
    if (invalid) {
      this.log.debug({ err: err.message }, 'request refused by the HTTP client');
      return 'invalid';
    }
    if (a.held) return a.status;
    // Relayed and cut short: the attempt has already closed the client's connection.
    if (ex.res.headersSent) return 'done';
    if (cancelled) return 'cancelled';
    this.log.debug({ endpoint: e.id, outcome: refused ? 'refused-stream' : outcome, err: err.message }, 'upstream attempt failed');
    return refused ? 'refused-stream' : outcome;
  }

  /**
   * Whether `outcome` gets another attempt: RetryOn matches, the method and
   * body allow it, retries are left, and both MaxActiveRetries and the retry
   * budget have room. Takes the retry slot when it says yes.
   */
  holdForRetry(ex: Exchange, status: number): boolean {
    return this.takeRetry(ex, status);
  }

  private takeRetry(ex: Exchange, outcome: AttemptOutcome): boolean {
    if (ex.timedOut || !this.cluster.tryRetry(ex.req.method ?? 'GET', ex.attempts, outcome, ex.bodyStart === null)) return false;
    ex.retryHeld = true;
    return true;
  }

  private fail(req: IncomingMessage, res: ServerResponse, err: MeshplugError): void {
    // An unread request body would be taken for the next request on this connection.
    sendProxyError(res, err, !req.complete || this.deps.isDraining());
  }
}
