import type { Dispatcher } from 'undici';
import type { Logger } from 'pino';
import { PluginApiErrors } from '../errors/catalogue.js';
import { silentLogger } from '../logging/create-logger.js';
import type { DiscoverTransport } from './discover-transport.js';
import { NodeHttpTransport } from './node-http-transport.js';
import { UndiciTransport } from './undici-transport.js';

/** The timer functions the client uses; inject fakes to test backoff without sleeping. */
export interface ClientTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of {@link DiscoverClient}. Validated once by the constructor, then frozen. */
export interface DiscoverClientOptions {
  /**
   * Where discover-service answers, an `http:` or `https:` URL, e.g. `http://127.0.0.1:6100`.
   * A path prefix is kept (`http://gw/meshplug` + `/v1/mesh/a/b`); query and fragment are not allowed.
   */
  baseUrl: string;
  /**
   * The document this client was pointed at, e.g. `/v1/resources/shop/web/net-governance`, when
   * {@link DiscoverClient.fromEnv} found a full URL in `DISCOVER_URL`. Informational; default none.
   */
  documentPath?: string;
  /** Long-poll wait sent as `?wait=` with `If-None-Match`, in seconds, integer 1..60. Default 30. */
  waitSeconds?: number;
  /**
   * Time budget of one request in ms (connect, headers and body), default `waitSeconds * 1000 + 5000`;
   * must exceed the long-poll wait. A call with a longer `waitSeconds` keeps the same margin.
   */
  requestTimeoutMs?: number;
  /** First retry delay ceiling of `watch`, in ms; it doubles per failed attempt. Default 250. */
  minBackoffMs?: number;
  /** The cap of every retry delay of `watch`, in ms. Default 10000. */
  maxBackoffMs?: number;
  /** Sent on every request, e.g. `x-meshplug-proxy-id` and `x-meshplug-proxy-kind`. Default none. */
  headers?: Record<string, string>;
  /**
   * Sent as `Authorization: Bearer <token>`. A function is called before every request, so a
   * rotating projected service-account token is always current; `undefined` sends no header.
   */
  token?: string | (() => string | undefined);
  /** How requests go out; default node:http with keep-alive ({@link NodeHttpTransport}). Not with `dispatcher`. */
  transport?: DiscoverTransport;
  /** An undici dispatcher (agent, pool, mock) to send through instead ({@link UndiciTransport}). Not with `transport`. */
  dispatcher?: Dispatcher;
  /** pino logger; the client logs through a child `{ component: 'discover-client' }`. Default silent. */
  logger?: Logger;
  /** Timer functions for backoff sleeps and request timeouts. Default the global ones. */
  timers?: ClientTimers;
  /** Source of randomness in [0, 1) for backoff jitter. Default `Math.random`. */
  random?: () => number;
}

/** The options after defaults and validation: every field set, frozen. */
export interface ResolvedDiscoverClientOptions {
  readonly baseUrl: URL;
  readonly documentPath: string | undefined;
  readonly waitSeconds: number;
  readonly requestTimeoutMs: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly token: () => string | undefined;
  readonly transport: DiscoverTransport;
  readonly logger: Logger;
  readonly timers: ClientTimers;
  readonly random: () => number;
}

/** The one place the defaults live. */
export const DISCOVER_CLIENT_DEFAULTS = Object.freeze({
  waitSeconds: 30,
  /** Added to the long-poll wait to get the default request timeout. */
  requestTimeoutMarginMs: 5000,
  minBackoffMs: 250,
  maxBackoffMs: 10_000,
});

/** Longest long-poll discover-service accepts (see the wire protocol). */
export const MAX_WAIT_SECONDS = 60;

const globalTimers: ClientTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

function isPositiveFinite(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0;
}

/** Applies defaults and checks every field; throws API_ERR_INVALID_CLIENT_OPTIONS listing every problem. */
export function resolveDiscoverClientOptions(options: DiscoverClientOptions): ResolvedDiscoverClientOptions {
  const problems: string[] = [];
  let baseUrl: URL | undefined;
  try {
    baseUrl = new URL(options.baseUrl);
    if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
      problems.push(`baseUrl ${options.baseUrl}: protocol must be http: or https:`);
    }
    if (baseUrl.search !== '' || baseUrl.hash !== '') problems.push(`baseUrl ${options.baseUrl}: no query or fragment allowed`);
  } catch {
    problems.push(`baseUrl ${String(options.baseUrl)}: not a URL`);
  }
  const waitSeconds = options.waitSeconds ?? DISCOVER_CLIENT_DEFAULTS.waitSeconds;
  if (!Number.isInteger(waitSeconds) || waitSeconds < 1 || waitSeconds > MAX_WAIT_SECONDS) {
    problems.push(`waitSeconds ${waitSeconds}: must be an integer 1..${MAX_WAIT_SECONDS}`);
  }
  const requestTimeoutMs = options.requestTimeoutMs ?? waitSeconds * 1000 + DISCOVER_CLIENT_DEFAULTS.requestTimeoutMarginMs;
  if (!isPositiveFinite(requestTimeoutMs) || requestTimeoutMs <= waitSeconds * 1000) {
    problems.push(`requestTimeoutMs ${requestTimeoutMs}: must be a number above waitSeconds * 1000 (${waitSeconds * 1000})`);
  }
  const minBackoffMs = options.minBackoffMs ?? DISCOVER_CLIENT_DEFAULTS.minBackoffMs;
  const maxBackoffMs = options.maxBackoffMs ?? DISCOVER_CLIENT_DEFAULTS.maxBackoffMs;
  if (!isPositiveFinite(minBackoffMs)) problems.push(`minBackoffMs ${minBackoffMs}: must be a positive number`);
  if (!isPositiveFinite(maxBackoffMs) || maxBackoffMs < minBackoffMs) {
    problems.push(`maxBackoffMs ${maxBackoffMs}: must be a number >= minBackoffMs (${minBackoffMs})`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (typeof value !== 'string') problems.push(`headers.${name}: value must be a string`);
    else headers[name.toLowerCase()] = value;
  }
  const token = options.token;
  if (token !== undefined && typeof token !== 'string' && typeof token !== 'function') {
    problems.push('token: must be a string or a function');
  }
  if (options.transport !== undefined && options.dispatcher !== undefined) problems.push('transport and dispatcher: give one of them');
  if (problems.length > 0 || baseUrl === undefined) {
    throw new PluginApiErrors.API_ERR_INVALID_CLIENT_OPTIONS(problems.join('; '));
  }
  return Object.freeze({
    baseUrl,
    documentPath: options.documentPath,
    waitSeconds,
    requestTimeoutMs,
    minBackoffMs,
    maxBackoffMs,
    headers: Object.freeze(headers),
    token: typeof token === 'function' ? token : () => token,
    transport: options.transport ?? (options.dispatcher === undefined ? new NodeHttpTransport() : new UndiciTransport(options.dispatcher)),
    logger: (options.logger ?? silentLogger()).child({ component: 'discover-client' }),
    timers: options.timers ?? globalTimers,
    random: options.random ?? Math.random,
  });
}
