/**
 * `RetryOn` conditions, named as in Envoy's `x-envoy-retry-on` / Istio's
 * `retryOn`. A bare status code (`"503"`) adds it to the retriable status
 * codes, as Istio does.
 * - `5xx`: any 5xx response, or no response at all (connect failure, refused stream, reset, per-try timeout);
 * - `gateway-error`: 502, 503, 504, or no response at all;
 * - `reset`: no response at all (disconnect, reset, per-try timeout), connect failures included;
 * - `connect-failure`: the connection to the endpoint could not be made (refused, unreachable, connect timeout),
 *   or a refused stream: both mean the endpoint never processed the request;
 * - `refused-stream`: a reused keep-alive connection closed before any byte of the answer arrived (the
 *   endpoint closed it as idle while the request was on its way: a draining or restarting server);
 * - `retriable-4xx`: 409 Conflict;
 * - `retriable-status-codes`: the listed status codes.
 */
export const RETRY_ON_CONDITIONS = [
  '5xx',
  'gateway-error',
  'reset',
  'connect-failure',
  'refused-stream',
  'retriable-4xx',
  'retriable-status-codes',
] as const;
export type RetryOnCondition = (typeof RETRY_ON_CONDITIONS)[number];

/** A compiled `RetryOn` value. */
export interface RetryOnPolicy {
  readonly conditions: ReadonlySet<RetryOnCondition>;
  readonly statusCodes: ReadonlySet<number>;
}

/**
 * What one attempt ended with: the response status, or why there was none.
 * `overflow` (a local circuit breaker refused) is never retried, as in Envoy.
 */
export type AttemptOutcome = number | 'connect-failure' | 'refused-stream' | 'reset' | 'timeout' | 'overflow';

/** Methods that may be repeated without changing the result (RFC 9110 9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

const KNOWN = new Set<string>(RETRY_ON_CONDITIONS);

/**
 * Compiles `RetryOn` (comma-separated, or already split). Unknown tokens are
 * returned so the caller can report them; the rest still applies.
 */
export function compileRetryOn(value: string | readonly string[]): { policy: RetryOnPolicy; unknown: string[] } {
  const tokens = typeof value === 'string' ? value.split(',') : value;
  const conditions = new Set<RetryOnCondition>();
  const statusCodes = new Set<number>();
  const unknown: string[] = [];
  for (const raw of tokens) {
    const token = raw.trim().toLowerCase();
    if (token === '') continue;
    if (/^[1-5]\d\d$/.test(token)) {
      statusCodes.add(Number(token));
      conditions.add('retriable-status-codes');
    } else if (KNOWN.has(token)) {
      conditions.add(token as RetryOnCondition);
    } else {
      unknown.push(raw.trim());
    }
  }
  return { policy: Object.freeze({ conditions, statusCodes }), unknown };
}

/** Whether `outcome` matches one of the policy's conditions (method and body aside). */
export function matchesRetryOn(outcome: AttemptOutcome, retryOn: RetryOnPolicy): boolean {
  const c = retryOn.conditions;
  if (typeof outcome === 'number') {
    if (outcome >= 500 && outcome <= 599 && c.has('5xx')) return true;
    if ((outcome === 502 || outcome === 503 || outcome === 504) && c.has('gateway-error')) return true;
    if (outcome === 409 && c.has('retriable-4xx')) return true;
    return c.has('retriable-status-codes') && retryOn.statusCodes.has(outcome);
  }
  switch (outcome) {
    case 'overflow':
      return false;
    case 'connect-failure':
      return c.has('connect-failure') || c.has('reset') || c.has('5xx') || c.has('gateway-error');
    case 'refused-stream':
      return c.has('refused-stream') || c.has('connect-failure') || c.has('reset') || c.has('5xx') || c.has('gateway-error');
    case 'reset':
    case 'timeout':
      return c.has('reset') || c.has('5xx') || c.has('gateway-error');
  }
}

/**
 * Whether a failed attempt may be retried. The request must be replayable:
 * no body, or a body buffered whole (under the retry size limit) — a streamed
 * body is gone. Idempotent methods are retried on any matching condition;
 * other methods (POST, PATCH...) only when the endpoint provably never saw the
 * request (`connect-failure`, `refused-stream`), since a 5xx or a reset may
 * come after the request had its effect.
 */
export function isRetryable(method: string, outcome: AttemptOutcome, retryOn: RetryOnPolicy, bodyReplayable: boolean): boolean {
  if (!bodyReplayable || !matchesRetryOn(outcome, retryOn)) return false;
  if (IDEMPOTENT.has(method.toUpperCase())) return true;
  return outcome === 'connect-failure' || outcome === 'refused-stream';
}
