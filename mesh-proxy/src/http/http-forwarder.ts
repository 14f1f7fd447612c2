import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { Logger, MeshplugError } from '@meshplug/plugin-api';
import { MeshProxyErrors } from '../errors.js';
import type { ProxyMetrics } from '../metrics/proxy-metrics.js';
import type { ProxyTimers } from '../options/proxy-options.js';
import { isRetryable, type AttemptOutcome } from '../policy/retry-on.js';
import { classifyUpstreamError } from '../upstream/classify-error.js';
import type { EndpointPools } from '../upstream/endpoint-pools.js';
import type { UpstreamCluster } from '../upstream/upstream-cluster.js';
import type { UpstreamEndpoint } from '../upstream/upstream-endpoint.js';
import { downstreamResponseHeaders, upstreamRequestHeaders } from './forwarded-headers.js';
import { sendProxyError } from './proxy-error-response.js';
import { routeMatches } from './route-match.js';

export interface HttpForwarderDeps {
  logger: Logger;
  metrics: ProxyMetrics;
  timers: ProxyTimers;
  now: () => number;
  /** Bodies with a Content-Length up to this are buffered so the request stays retryable. */
  retryBufferBytes: number;
  /** Longest wait for a connection slot when MaxConnections is reached. */
  pendingTimeoutMs: number;
  /** True once the listener drains: responses then carry `connection: close`. */
  isDraining(): boolean;
}

/** One downstream request on its way through the proxy. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  headers: string[];
  /** The buffered body, or null when there is none or it is streamed. */
  body: Buffer | null;
  streamed: boolean;
  controller: AbortController;
  timedOut: boolean;
  attempts: number;
  tried: Set<string>;
  /** A retry slot was taken for the next attempt and must be released after it. */
  retryHeld: boolean;
}

/** `invalid`: undici refused the request itself (a header or method it cannot send); not the endpoint's fault. */
type AttemptEnd = 'done' | 'cancelled' | 'invalid' | AttemptOutcome;

const INVALID_REQUEST = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED']);

/** The origin-form target (`/path?q`) of a request; absolute-form (`http://h/path`) is reduced to it. */
function originForm(url: string | undefined): string {
  if (url === undefined || url === '') return '/';
  if (url.startsWith('/')) return url;
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

const discard = (): Writable =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });

function errorFor(outcome: AttemptOutcome): MeshplugError {
  switch (outcome) {
    case 'timeout':
      return new MeshProxyErrors.MESH_ERR_TIMEOUT();
    case 'connect-failure':
      return new MeshProxyErrors.MESH_ERR_CONNECT_FAILURE();
    case 'overflow':
      return new MeshProxyErrors.MESH_ERR_OVERFLOW();
    default:
      return new MeshProxyErrors.MESH_ERR_UPSTREAM_RESET(typeof outcome === 'number' ? `status ${outcome}` : outcome);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The request body as undici reads it. An async iterable rather than the
 * request itself, because undici destroys a stream body on any upstream error
 * and that would cut the downstream connection before the 502 goes out.
 * undici documents AsyncIterable bodies; its type declarations lag behind.
 */
function streamOf(req: IncomingMessage): Dispatcher.DispatchOptions['body'] {
  const body: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => req.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer> };
  return body as unknown as Dispatcher.DispatchOptions['body'];
}

/**
 * HTTP/1.1 forwarding for one listener: per-request balancing over keep-alive
 * undici pools, bodies streamed both ways with backpressure, and the traffic
 * policy of the cluster (circuit breakers, retries within a budget, request
 * timeout, outlier reporting). Errors it makes are 502/503/504 JSON answers.
 */
export class HttpForwarder {
  private readonly log: Logger;

  constructor(
    private readonly cluster: UpstreamCluster,
    private readonly pools: EndpointPools,
    private readonly deps: HttpForwarderDeps,
  ) {
    this.log = deps.logger.child({ cluster: cluster.name });
  }

  handle(req: IncomingMessage, res: ServerResponse, expectContinue = false): void {
    this.forward(req, res, expectContinue)
      .catch((err: unknown) => {
        // Reading the body fails when the client goes away; that is no proxy fault.
        if (req.destroyed || res.destroyed) this.log.debug({ err: (err as Error).message }, 'client went away');
        else this.log.error({ err }, 'forwarding failed');
        sendProxyError(res, new MeshProxyErrors.MESH_ERR_UPSTREAM_RESET((err as Error).message), true);
      })
      .finally(() => {
        const code = res.headersSent ? String(res.statusCode) : 'aborted';
        this.deps.metrics.requests.inc({ cluster: this.cluster.name, code });
      });
  }

  private async forward(req: IncomingMessage, res: ServerResponse, expectContinue: boolean): Promise<void> {
    const cluster = this.cluster;
    if (this.deps.isDraining()) res.setHeader('connection', 'close');
    const path = originForm(req.url);
    if (!routeMatches(cluster.policy, req.headers.host, path, req.headers)) {
      return this.fail(req, res, new MeshProxyErrors.MESH_ERR_NO_ROUTE(`${req.headers.host ?? ''}${path}`));
    }
    if (cluster.size === 0) return this.fail(req, res, new MeshProxyErrors.MESH_ERR_NO_ENDPOINTS(cluster.name));
    if (!cluster.breaker.tryAcquireRequest()) {
      this.deps.metrics.overflows.inc({ cluster: cluster.name });
      return this.fail(req, res, new MeshProxyErrors.MESH_ERR_OVERFLOW(`${cluster.name}: MaxRequests`));
    }
    const ex: Exchange = {
      req,
      res,
      path,
      headers: upstreamRequestHeaders(req.rawHeaders, req.headers, { remoteAddress: req.socket.remoteAddress, proto: 'http' }),
      body: null,
      streamed: false,
      controller: new AbortController(),
      timedOut: false,
      attempts: 0,
      tried: new Set(),
      retryHeld: false,
    };
    const onClose = (): void => {
      if (!res.writableFinished) ex.controller.abort();
    };
    res.once('close', onClose);
    const timeoutMs = cluster.policy.requestTimeoutMs;
    const timer =
      timeoutMs > 0
        ? this.deps.timers.setTimeout(() => {
            ex.timedOut = true;
            ex.controller.abort();
          }, timeoutMs)
        : undefined;
    try {
      if (expectContinue) res.writeContinue();
      const length = Number(req.headers['content-length'] ?? 0);
      if (req.headers['transfer-encoding'] !== undefined || length > 0) {
        if (cluster.policy.retries > 0 && req.headers['transfer-encoding'] === undefined && length <= this.deps.retryBufferBytes) {
          ex.body = await readBody(req);
        } else {
          ex.streamed = true;
        }
      }
      cluster.retryBudget.recordRequest();
      await this.attempts(ex);
    } finally {
      if (timer !== undefined) this.deps.timers.clearTimeout(timer);
      res.off('close', onClose);
      cluster.breaker.releaseRequest();
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
      ex.tried.add(e.id);
      const retryHeld = ex.retryHeld;
      ex.retryHeld = false;
      const slot = await cluster.breaker.acquireConnection(this.deps.pendingTimeoutMs, ex.controller.signal);
      if (slot !== 'acquired') {
        if (retryHeld) cluster.breaker.releaseRetry();
        if (slot === 'aborted' && !ex.timedOut) return;
        if (slot !== 'aborted') this.deps.metrics.overflows.inc({ cluster: cluster.name });
        return this.fail(ex.req, ex.res, slot === 'aborted' ? errorFor('timeout') : new MeshProxyErrors.MESH_ERR_OVERFLOW(`${cluster.name}: MaxPendingRequests`));
      }
      let end: AttemptEnd;
      try {
        end = await this.attempt(ex, e);
      } finally {
        cluster.breaker.releaseConnection();
        if (retryHeld) cluster.breaker.releaseRetry();
      }
      if (end === 'done' || end === 'cancelled') return;
      if (end === 'invalid') return this.fail(ex.req, ex.res, new MeshProxyErrors.MESH_ERR_BAD_REQUEST(ex.req.method));
      last = end;
      if (ex.retryHeld || this.takeRetry(ex, end)) continue;
      return this.fail(ex.req, ex.res, errorFor(end));
    }
  }

  /** One try on one endpoint; the response goes to the client unless it is retried. */
  private async attempt(ex: Exchange, e: UpstreamEndpoint): Promise<AttemptEnd> {
    const { req, res } = ex;
    const cluster = this.cluster;
    const started = this.deps.now();
    ex.attempts += 1;
    cluster.onStart(e);
    let status = 0;
    let retryStatus = false;
    try {
      const pool = this.pools.get(e, cluster.policy.connectionTimeoutMs);
      await pool.stream(
        {
          path: ex.path,
          method: req.method ?? 'GET',
          headers: ex.headers,
          body: ex.streamed ? streamOf(req) : ex.body,
          signal: ex.controller.signal,
        },
        ({ statusCode, headers }) => {
          status = statusCode;
          this.deps.metrics.upstreamLatency.observe({ cluster: cluster.name }, (this.deps.now() - started) / 1000);
          if (this.takeRetry(ex, statusCode)) {
            retryStatus = true;
            return discard();
          }
          if (this.deps.isDraining()) res.setHeader('connection', 'close');
          res.writeHead(statusCode, downstreamResponseHeaders(headers));
          return res;
        },
      );
    } catch (err) {
      const invalid = status === 0 && INVALID_REQUEST.has(String((err as { code?: unknown }).code));
      const cancelled = invalid || (ex.controller.signal.aborted && !ex.timedOut);
      cluster.onEnd(e, this.deps.now() - started, cancelled ? 'cancelled' : 'failure');
      if (invalid) {
        this.log.debug({ err: (err as Error).message }, 'request refused by the HTTP client');
        return 'invalid';
      }
      if (retryStatus) return status;
      if (status !== 0 || cancelled) return status !== 0 ? 'done' : 'cancelled';
      const outcome = ex.timedOut ? 'timeout' : classifyUpstreamError(err);
      this.log.debug({ endpoint: e.id, outcome, err: (err as Error).message }, 'upstream attempt failed');
      return outcome;
    }
    cluster.onEnd(e, this.deps.now() - started, status >= 500 ? 'failure' : 'ok');
    return retryStatus ? status : 'done';
  }

  /**
   * Whether `outcome` gets another attempt: RetryOn matches, the method and
   * body allow it, retries are left, and both MaxActiveRetries and the retry
   * budget have room. Takes the retry slot when it says yes.
   */
  private takeRetry(ex: Exchange, outcome: AttemptOutcome): boolean {
    const cluster = this.cluster;
    if (ex.timedOut || ex.attempts > cluster.policy.retries) return false;
    const replayable = !ex.streamed || !ex.req.readableDidRead;
    if (!isRetryable(ex.req.method ?? 'GET', outcome, cluster.retryOn, replayable)) return false;
    if (!cluster.breaker.tryAcquireRetry()) return false;
    if (!cluster.retryBudget.tryRetry()) {
      cluster.breaker.releaseRetry();
      return false;
    }
    ex.retryHeld = true;
    this.deps.metrics.retries.inc({ cluster: cluster.name });
    return true;
  }

  private fail(req: IncomingMessage, res: ServerResponse, err: MeshplugError): void {
    // An unread request body would be taken for the next request on this connection.
    sendProxyError(res, err, !req.complete || this.deps.isDraining());
  }
}
