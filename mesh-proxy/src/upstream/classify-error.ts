import type { AttemptOutcome } from '../policy/retry-on.js';

/** Errors that mean no connection to the endpoint was made: nothing reached it. */
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'MESH_CONNECT_TIMEOUT',
]);

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Maps a socket or undici error of one upstream attempt to a retry outcome. */
export function classifyUpstreamError(err: unknown): Exclude<AttemptOutcome, number | 'overflow'> {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (CONNECT_FAILURES.has(code)) return 'connect-failure';
    if (TIMEOUTS.has(code)) return 'timeout';
  }
  return 'reset';
}
