import type {
  ComponentSummary,
  ConfigError,
  MeshLists,
  PluginSummary,
  ProxyStatus,
  RouteRow,
  RouteTraffic,
  ServiceSummary,
  StateSnapshot,
} from './api-types.js';

/** The part of a fetch Response the client reads. */
export interface ResponseLike {
  readonly status: number;
  json(): Promise<unknown>;
}

/** `fetch`, narrowed to what the client uses, so tests can hand in a fake. */
export type FetchLike = (url: string, init: { headers: Record<string, string>; signal?: AbortSignal }) => Promise<ResponseLike>;

/** A non-2xx answer, with the API's error `code` and `reason` when it sent them. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;

  constructor(path: string, status: number, body: unknown) {
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const detail = [fields['message'], fields['reason']].filter((v) => typeof v === 'string').join(': ');
    super(`${path}: HTTP ${status}${detail === '' ? '' : ` ${detail}`}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = typeof fields['code'] === 'string' ? fields['code'] : undefined;
  }
}

interface ItemList<T> {
  items: T[];
}

/** Reads discover-service's ops API: the lists, readiness and the long-pollable state version. */
export class OpsApi {
  readonly #fetch: FetchLike;
  readonly #base: string;

  /** `base` is the server's origin, '' for the page's own. */
  constructor(fetchFn: FetchLike, base = '') {
    this.#fetch = fetchFn;
    this.#base = base;
  }

  /**
   * `GET /v1/state`. With `held` (the version the caller has) and `waitSeconds`, the server
   * holds the request until the state moves on; `undefined` means it did not (304).
   */
  async state(held?: string, waitSeconds = 0, signal?: AbortSignal): Promise<StateSnapshot | undefined> {
    const path = held === undefined || waitSeconds <= 0 ? '/v1/state' : `/v1/state?wait=${waitSeconds}`;
    const headers: Record<string, string> = held === undefined ? {} : { 'if-none-match': `"${held}"` };
    const response = await this.#fetch(this.#base + path, { headers, ...(signal ? { signal } : {}) });
    if (response.status === 304) return undefined;
    return this.#body<StateSnapshot>(path, response);
  }

  /** Every list behind the `mesh` state version, read together. */
  async meshLists(signal?: AbortSignal): Promise<MeshLists> {
    const [routes, services, components, plugins, errors, ready] = await Promise.all([
      this.#items<RouteRow>('/v1/routes', signal),
      this.#items<ServiceSummary>('/v1/services', signal),
      this.#items<ComponentSummary>('/v1/components', signal),
      this.#items<PluginSummary>('/v1/plugins', signal),
      this.#items<ConfigError>('/v1/errors', signal),
      this.#ready(signal),
    ]);
    return { routes, services, components, plugins, errors, ready };
  }

  /** `GET /v1/proxies`. */
  proxies(signal?: AbortSignal): Promise<ProxyStatus[]> {
    return this.#items<ProxyStatus>('/v1/proxies', signal);
  }

  /** `GET /v1/stats`: traffic the sidecars report, per component -> dependency port. */
  stats(signal?: AbortSignal): Promise<RouteTraffic[]> {
    return this.#items<RouteTraffic>('/v1/stats', signal);
  }

  async #items<T>(path: string, signal: AbortSignal | undefined): Promise<T[]> {
    const response = await this.#fetch(this.#base + path, { headers: {}, ...(signal ? { signal } : {}) });
    return (await this.#body<ItemList<T>>(path, response)).items;
  }

  async #ready(signal: AbortSignal | undefined): Promise<boolean> {
    const response = await this.#fetch(`${this.#base}/readyz`, { headers: {}, ...(signal ? { signal } : {}) });
    if (response.status === 200 || response.status === 503) return response.status === 200;
    throw new ApiError('/readyz', response.status, await response.json().catch(() => undefined));
  }

  async #body<T>(path: string, response: ResponseLike): Promise<T> {
    const body = await response.json().catch(() => undefined);
    if (response.status !== 200) throw new ApiError(path, response.status, body);
    return body as T;
  }
}
