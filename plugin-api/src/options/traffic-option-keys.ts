import { LB_POLICIES } from '../model/mesh-document.js';
import { RETRY_CONDITIONS, type TrafficPolicy } from './traffic-policy.js';

/** How an option's string value is read. */
export type TrafficOptionType = 'integer' | 'enum' | 'domains' | 'path-prefix' | 'headers' | 'retry-on';

/** One per-port option key: its field, type, unit and range, for the parser and for docs. */
export interface TrafficOptionKey {
  /** The key as written in `options` (Rainbond spelling). */
  readonly key: string;
  /** The TrafficPolicy field it sets. */
  readonly field: keyof TrafficPolicy;
  readonly type: TrafficOptionType;
  /** Unit of an integer: milliseconds, seconds, percent or a count. */
  readonly unit?: 'ms' | 's' | '%' | 'count';
  /** Inclusive range of an integer. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values of an enum, and the named conditions of `RetryOn`. */
  readonly values?: readonly string[];
  /** What it does, its format, and where it departs from Rainbond. */
  readonly description: string;
}

const MAX_COUNT = 1_000_000;
const DAY_MS = 86_400_000;

/**
 * Every per-port traffic option. Keys Rainbond had keep its spelling, type and default; Rainbond
 * silently replaced `0` (and garbage) by the default for most integers, here that is an issue and the
 * default applies, so the effect is the same but visible. Unknown keys belong to other plugins' items
 * and are ignored.
 */
export const TRAFFIC_OPTION_KEYS: readonly TrafficOptionKey[] = Object.freeze([
  {
    key: 'Weight', field: 'weight', type: 'integer', unit: 'count', min: 1, max: 1000,
    description: 'Relative share of traffic (load-balancing weight). Rainbond: uint32, default 100.',
  },
  {
    key: 'MaxConnections', field: 'maxConnections', type: 'integer', unit: 'count', min: 1, max: MAX_COUNT,
    description: 'Circuit breaker: most upstream connections at once. Rainbond default 10240.',
  },
  {
    key: 'MaxRequests', field: 'maxRequests', type: 'integer', unit: 'count', min: 1, max: MAX_COUNT,
    description: 'Circuit breaker: most requests in flight at once. Rainbond default 10240.',
  },
  {
    key: 'MaxPendingRequests', field: 'maxPendingRequests', type: 'integer', unit: 'count', min: 1, max: MAX_COUNT,
    description: 'Circuit breaker: most requests waiting for a connection. Rainbond default 1024.',
  },
  {
    key: 'MaxActiveRetries', field: 'maxActiveRetries', type: 'integer', unit: 'count', min: 1, max: MAX_COUNT,
    description: 'Retry budget: most retries in flight at once. Rainbond default 3. Use Retries: 0 to disable retries.',
  },
  {
    key: 'ConsecutiveErrors', field: 'consecutiveErrors', type: 'integer', unit: 'count', min: 1, max: 1000,
    description: 'Outlier detection: consecutive 5xx or connect failures that eject an endpoint. Rainbond default 5.',
  },
  {
    key: 'BaseEjectionTimeMS', field: 'baseEjectionTimeMs', type: 'integer', unit: 'ms', min: 1, max: DAY_MS,
    description: 'Outlier detection: how long an ejected endpoint stays out, in milliseconds. Rainbond default 30000.',
  },
  {
    key: 'MaxEjectionPercent', field: 'maxEjectionPercent', type: 'integer', unit: '%', min: 1, max: 100,
    description: 'Outlier detection: most endpoints ejected at once, percent. Rainbond default 10 (it clamped >100; here an issue).',
  },
  {
    key: 'HealthyPanicThreshold', field: 'healthyPanicThreshold', type: 'integer', unit: '%', min: 0, max: 100,
    description:
      'Below this percent of healthy endpoints, balance over all endpoints (panic mode); 0 never panics. ' +
      'Rainbond default 50 (it ignored 0 and divided by 100 before handing it to Envoy).',
  },
  {
    key: 'ConnectionTimeout', field: 'connectionTimeoutMs', type: 'integer', unit: 'ms', min: 1, max: 300_000,
    description:
      'Upstream connect timeout in milliseconds. Rainbond default 250, which it meant as milliseconds but passed to a ' +
      'seconds converter; here it is milliseconds.',
  },
  {
    key: 'TCPIdleTimeout', field: 'tcpIdleTimeoutSeconds', type: 'integer', unit: 's', min: 0, max: 604_800,
    description: 'Close a TCP-proxied connection after this many idle seconds; 0 never. Rainbond: seconds, default 7200.',
  },
  {
    key: 'Domains', field: 'domains', type: 'domains',
    description: 'Comma-separated Host values this route serves: `*`, `*.example.com`, `api.*`, optional `:port`. Rainbond default `*`.',
  },
  {
    key: 'Prefix', field: 'prefix', type: 'path-prefix',
    description: 'Request path prefix this route serves, starting with `/`. Rainbond default `/`.',
  },
  {
    key: 'Headers', field: 'headers', type: 'headers',
    description:
      '`name:value;name2:value2`: headers a request must carry, value matched as a prefix; `has_header:no` (Rainbond\'s ' +
      'placeholder) means none. Rainbond kept only the last pair and dropped values containing `:`; here every pair ' +
      'counts and the value is everything after the first `:`.',
  },
  {
    key: 'LBPolicy', field: 'lbPolicy', type: 'enum', values: LB_POLICIES,
    description: 'Load balancing: round_robin (Rainbond\'s only policy), least_request (power of two choices), peak_ewma, random.',
  },
  {
    key: 'RequestTimeoutMS', field: 'requestTimeoutMs', type: 'integer', unit: 'ms', min: 0, max: DAY_MS,
    description: 'Whole-request timeout in milliseconds, retries included; 0 none (Istio\'s default). New in meshplug.',
  },
  {
    key: 'Retries', field: 'retries', type: 'integer', unit: 'count', min: 0, max: 10,
    description: 'Retries per request; 0 none. Default 2 (Istio). New in meshplug.',
  },
  {
    key: 'RetryOn', field: 'retryOn', type: 'retry-on', values: RETRY_CONDITIONS,
    description:
      'Comma-separated failures to retry: 5xx, gateway-error (502/503/504), reset, connect-failure, refused-stream ' +
      '(a reused keep-alive connection closed before any answer byte), retriable-4xx (409), or status codes 400..599. ' +
      'Default connect-failure, which includes refused-stream: the only failures safe for non-idempotent requests. New in meshplug.',
  },
] satisfies TrafficOptionKey[]);
