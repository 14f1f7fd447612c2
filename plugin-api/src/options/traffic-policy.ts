import type { LbPolicy } from '../model/mesh-document.js';

/** A request header a route requires (Rainbond `Headers`). */
export interface HeaderMatch {
  /** Header name, lower-case. */
  readonly name: string;
  /** The header's value must start with this (Rainbond's prefix match); `''` only requires presence. */
  readonly value: string;
}

/**
 * Named retry conditions (Envoy's `retry_on` vocabulary, the subset a Node proxy can tell apart).
 * `refused-stream`: a reused keep-alive connection closed before any byte of the answer (the
 * endpoint never processed the request); `connect-failure` covers it too.
 */
export const RETRY_CONDITIONS = ['5xx', 'gateway-error', 'reset', 'connect-failure', 'refused-stream', 'retriable-4xx'] as const;
export type RetryCondition = (typeof RETRY_CONDITIONS)[number];
/** A named condition, or one HTTP status code (400..599) that is retried. */
export type RetryOn = RetryCondition | number;

/**
 * The per-port traffic options of one inbound port or dependency port, typed. Rainbond kept them
 * as strings in `options`; {@link parseTrafficPolicy} turns those into this frozen object. Each
 * field names its unit; the option keys, ranges and Rainbond notes are in `TRAFFIC_OPTION_KEYS`.
 */
export interface TrafficPolicy {
  /** `Weight`: relative share of traffic, 1..1000. */
  readonly weight: number;
  /** `MaxConnections`: most upstream connections at once (circuit breaker). */
  readonly maxConnections: number;
  /** `MaxRequests`: most requests in flight upstream at once (circuit breaker). */
  readonly maxRequests: number;
  /** `MaxPendingRequests`: most requests queued waiting for a connection. */
  readonly maxPendingRequests: number;
  /** `MaxActiveRetries`: most retries in flight at once for the cluster (retry budget). */
  readonly maxActiveRetries: number;
  /** `ConsecutiveErrors`: consecutive 5xx / connect failures that eject an endpoint (outlier detection). */
  readonly consecutiveErrors: number;
  /** `BaseEjectionTimeMS`: how long an ejected endpoint stays out, in ms. */
  readonly baseEjectionTimeMs: number;
  /** `MaxEjectionPercent`: most endpoints ejected at once, percent 1..100. */
  readonly maxEjectionPercent: number;
  /** `HealthyPanicThreshold`: below this percent of healthy endpoints, balance over all of them (0 = never). */
  readonly healthyPanicThreshold: number;
  /** `ConnectionTimeout`: upstream connect timeout, in milliseconds. */
  readonly connectionTimeoutMs: number;
  /** `TCPIdleTimeout`: close a TCP-proxied connection idle this long, in seconds (0 = never). */
  readonly tcpIdleTimeoutSeconds: number;
  /** `Domains`: Host header values this route serves (`*` any, `*.x.com` suffix, `x.*` prefix). */
  readonly domains: readonly string[];
  /** `Prefix`: request path prefix this route serves. */
  readonly prefix: string;
  /** `Headers`: headers a request must carry for this route; empty: none required. */
  readonly headers: readonly HeaderMatch[];
  /** `LBPolicy`: how endpoints are chosen. */
  readonly lbPolicy: LbPolicy;
  /** `RequestTimeoutMS`: whole-request timeout including retries, in ms (0 = none). */
  readonly requestTimeoutMs: number;
  /** `Retries`: retries per request (0 = none). */
  readonly retries: number;
  /** `RetryOn`: which failures are retried. */
  readonly retryOn: readonly RetryOn[];
}

/**
 * The one place the defaults live. Rainbond's values (its `GetOptionValues`) where it had the key;
 * Istio's where it did not (no request timeout, 2 retries), limited to connect failures so a
 * request the upstream may have processed is never sent twice unless asked.
 */
export const DEFAULT_TRAFFIC_POLICY: TrafficPolicy = Object.freeze({
  weight: 100,
  maxConnections: 10240,
  maxRequests: 10240,
  maxPendingRequests: 1024,
  maxActiveRetries: 3,
  consecutiveErrors: 5,
  baseEjectionTimeMs: 30_000,
  maxEjectionPercent: 10,
  healthyPanicThreshold: 50,
  connectionTimeoutMs: 250,
  tcpIdleTimeoutSeconds: 7200,
  domains: Object.freeze(['*']),
  prefix: '/',
  headers: Object.freeze([]),
  lbPolicy: 'round_robin',
  requestTimeoutMs: 0,
  retries: 2,
  retryOn: Object.freeze(['connect-failure'] as RetryOn[]),
});
