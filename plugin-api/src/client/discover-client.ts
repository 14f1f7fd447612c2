import { PluginApiErrors } from '../errors/catalogue.js';
import { MeshplugError } from '../errors/mesh-error.js';
import type { ResourceSpec } from '../model/resource-spec.js';
import { Backoff } from './backoff.js';
import { discoverOptionsFromEnv } from './discover-client-env.js';
import { badResponseError, discoverHttpError } from './discover-http-error.js';
import {
  MAX_WAIT_SECONDS,
  resolveDiscoverClientOptions,
  type DiscoverClientOptions,
  type ResolvedDiscoverClientOptions,
} from './discover-client-options.js';

/** One answer of discover-service: a new document (200) or "still the version you have" (304). */
export interface FetchResult<T> {
  status: 200 | 304;
  /** The version: the ETag without quotes (for 304, the one the caller sent when the server repeats none). */
  etag?: string;
  /** The parsed JSON body, on 200. */
  body?: T;
}

export interface GetOptions {
  /** The version the caller has; sent as `If-None-Match`, and turns the request into a long-poll. */
  etag?: string;
  /** Long-poll wait with `etag`, in seconds (0..60); default the client's `waitSeconds`; 0 answers at once. */
  waitSeconds?: number;
  signal?: AbortSignal;
  /** Extra headers for this request only. */
  headers?: Record<string, string>;
}

export interface WatchHandlers<T> {
  /** Called for each new version, in order, never concurrently; a throw is reported and the version retried. */
  onUpdate(body: T, version: string): void | Promise<void>;
  /** Each failure, with the consecutive-failure count and the delay before the next try. */
  onError?(err: MeshplugError, attempt: number, retryInMs: number): void;
  /** Sent as `x-meshplug-applied-version` on each poll so discover-service can list served vs applied. */
  appliedVersion?(): string | undefined;
  /** Start polling from this version (e.g. from a state file): no update until it changes. */
  initialVersion?: string;
  /** Aborting it stops the watch, like `stop()`. */
  signal?: AbortSignal;
}

export interface WatchHandle {
  /** Aborts the in-flight request and resolves once the loop has ended (after a running onUpdate). */
  stop(): Promise<void>;
}

const APPLIED_VERSION_HEADER = 'x-meshplug-applied-version';

/** `"abc"`, `W/"abc"` -> `abc`. */
function parseEtag(header: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return undefined;
  const v = raw.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  return v === '' ? undefined : v;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} ${err.message}` : err.message;
  }
  return String(err);
}

/**
 * The SDK for DISCOVER_URL: fetches and long-poll-watches discover-service documents
 * (`/v1/mesh/...` for sidecars, `/v1/resources/...` for plugins) per the wire protocol:
 * quoted ETag versions, `If-None-Match` + `?wait=`, 304 when unchanged.
 */
export class DiscoverClient {
  readonly #options: ResolvedDiscoverClientOptions;

  constructor(options: DiscoverClientOptions) {
    this.#options = resolveDiscoverClientOptions(options);
  }

  /**
   * A client configured from `MESHPLUG_CONFIG_URL`, `DISCOVER_URL` (Rainbond: the full resources URL,
   * whose path becomes `documentPath`) or `XDS_HOST_IP`; `extra` overrides any of it.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, extra: Partial<DiscoverClientOptions> = {}): DiscoverClient {
    const fromEnv = extra.baseUrl === undefined ? discoverOptionsFromEnv(env) : { baseUrl: extra.baseUrl };
    return new DiscoverClient({ ...fromEnv, ...extra });
  }

  /** The resolved, frozen options. */
  get options(): ResolvedDiscoverClientOptions {
    return this.#options;
  }

  /** The document the configured URL named (e.g. Rainbond's DISCOVER_URL path), if any. */
  get documentPath(): string | undefined {
    return this.#options.documentPath;
  }

  /** The absolute URL of a document path, keeping the base URL's path prefix. */
  url(path: string): URL {
    const base = this.#options.baseUrl;
    const prefix = base.pathname.replace(/\/+$/, '');
    return new URL(`${prefix}${path.startsWith('/') ? path : `/${path}`}`, base.origin);
  }

  /**
   * One GET. Throws API_ERR_DISCOVER_HTTP (non-2xx/304 with the server's code and message, or an
   * unusable 200), API_ERR_DISCOVER_UNREACHABLE (connection failure, timeout) or API_ERR_DISCOVER_ABORTED.
   */
  async get<T>(path: string, opts: GetOptions = {}): Promise<FetchResult<T>> {
    const o = this.#options;
    const wait = opts.etag === undefined ? 0 : (opts.waitSeconds ?? o.waitSeconds);
    if (!Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT_SECONDS) {
      throw new PluginApiErrors.API_ERR_INVALID_CLIENT_OPTIONS(`waitSeconds ${wait}: must be an integer 0..${MAX_WAIT_SECONDS}`);
    }
    const url = this.url(path);
    if (wait > 0) url.searchParams.set('wait', String(wait));
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    for (const [name, value] of Object.entries(opts.headers ?? {})) headers[name.toLowerCase()] = value;
    if (opts.etag !== undefined) headers['if-none-match'] = `"${opts.etag}"`;
    const token = o.token();
    if (token !== undefined && token !== '') headers.authorization = `Bearer ${token}`;

    if (opts.signal?.aborted) throw new PluginApiErrors.API_ERR_DISCOVER_ABORTED(`GET ${url.href}`);
    // A longer wait than configured keeps the configured margin over the wait.
    const timeoutMs = o.requestTimeoutMs + Math.max(0, wait - o.waitSeconds) * 1000;
    const controller = new AbortController();
    let timedOut = false;
    const timer = o.timers.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let status: number;
    let etagHeader: string | string[] | undefined;
    let text: string;
    try {
      const res = await o.transport.send({ method: 'GET', url, headers, signal: controller.signal });
      status = res.status;
      etagHeader = res.headers.etag;
      text = res.text;
    } catch (err) {
      if (opts.signal?.aborted) throw new PluginApiErrors.API_ERR_DISCOVER_ABORTED(`GET ${url.href}`, { cause: err });
      if (timedOut) {
        throw new PluginApiErrors.API_ERR_DISCOVER_UNREACHABLE(`GET ${url.href}: no answer within ${timeoutMs} ms`, { cause: err });
      }
      throw new PluginApiErrors.API_ERR_DISCOVER_UNREACHABLE(`GET ${url.href}: ${describe(err)}`, { cause: err });
    } finally {
      o.timers.clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }

    const etag = parseEtag(etagHeader);
    if (status === 304) {
      const version = etag ?? opts.etag;
      return version === undefined ? { status: 304 } : { status: 304, etag: version };
    }
    if (status < 200 || status > 299) throw discoverHttpError(url.href, status, text);
    let body: T;
    try {
      body = JSON.parse(text) as T;
    } catch (err) {
      throw badResponseError(url.href, `body is not JSON (${describe(err)})`, err);
    }
    return etag === undefined ? { status: 200, body } : { status: 200, etag, body };
  }

  /** The resolved config of one plugin on one component (Rainbond's ResourceSpec). */
  async resources(namespace: string, service: string, plugin: string): Promise<ResourceSpec> {
    const path = `/v1/resources/${[namespace, service, plugin].map(encodeURIComponent).join('/')}`;
    const { body } = await this.get<ResourceSpec>(path);
    const spec = body as Partial<ResourceSpec> | null | undefined;
    if (
      spec === null ||
      typeof spec !== 'object' ||
      !Array.isArray(spec.base_ports) ||
      !Array.isArray(spec.base_services) ||
      spec.base_normal === null ||
      typeof spec.base_normal !== 'object'
    ) {
      throw badResponseError(this.url(path).href, 'body is not a ResourceSpec (base_ports, base_services, base_normal)');
    }
    return spec as ResourceSpec;
  }

  /**
   * Follows a document forever: long-polls with the last version, hands each new version to
   * `onUpdate`, and retries every failure (unreachable, timeout, 4xx/5xx, bad body: the component
   * may appear later) after a capped, jittered exponential backoff. Never throws, never rejects.
   */
  watch<T>(path: string, handlers: WatchHandlers<T>): WatchHandle {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    if (handlers.signal?.aborted) controller.abort();
    else handlers.signal?.addEventListener('abort', onAbort, { once: true });
    const done = this.#watchLoop(path, handlers, controller.signal).finally(() =>
      handlers.signal?.removeEventListener('abort', onAbort),
    );
    return {
      stop: async () => {
        controller.abort();
        await done;
      },
    };
  }

  async #watchLoop<T>(path: string, handlers: WatchHandlers<T>, signal: AbortSignal): Promise<void> {
    const o = this.#options;
    const log = o.logger.child({ path });
    const backoff = new Backoff(o.minBackoffMs, o.maxBackoffMs, o.random);
    let version = handlers.initialVersion;
    while (!signal.aborted) {
      let failure: MeshplugError | undefined;
      let pause = 0;
      try {
        const applied = handlers.appliedVersion?.();
        const res = await this.get<T>(path, {
          ...(version === undefined ? {} : { etag: version }),
          signal,
          ...(applied === undefined ? {} : { headers: { [APPLIED_VERSION_HEADER]: applied } }),
        });
        if (res.status === 200 && res.etag === undefined) {
          throw badResponseError(this.url(path).href, '200 without an ETag: cannot long-poll');
        }
        if (backoff.attempt > 0) log.info({ after: backoff.attempt }, 'discover-service reachable again');
        backoff.reset();
        if (res.status === 200 && res.etag === version) {
          // The server ignored If-None-Match: poll at the capped rate instead of spinning.
          log.debug({ version }, 'unchanged 200, server does not long-poll');
          pause = o.maxBackoffMs;
        } else if (res.status === 200 && res.etag !== undefined) {
          await this.#deliver(handlers, res.body as T, res.etag);
          version = res.etag;
        }
      } catch (err) {
        if (signal.aborted) break;
        failure =
          err instanceof MeshplugError ? err : new PluginApiErrors.API_ERR_WATCH_HANDLER(describe(err), { cause: err });
      }
      if (failure !== undefined) {
        pause = backoff.next();
        const fields = { code: failure.code, err: failure.message, attempt: backoff.attempt, retryInMs: pause };
        if (backoff.attempt === 1) log.warn(fields, 'watch failed, retrying');
        else log.debug(fields, 'watch failed again, retrying');
        try {
          handlers.onError?.(failure, backoff.attempt, pause);
        } catch (err) {
          log.error({ err }, 'onError handler threw');
        }
      }
      if (pause > 0 || failure !== undefined) await this.#sleep(pause, signal);
    }
  }

  /** Runs onUpdate; a plain throw becomes API_ERR_WATCH_HANDLER so onError always gets a MeshplugError. */
  async #deliver<T>(handlers: WatchHandlers<T>, body: T, version: string): Promise<void> {
    try {
      await handlers.onUpdate(body, version);
    } catch (err) {
      if (err instanceof MeshplugError) throw err;
      throw new PluginApiErrors.API_ERR_WATCH_HANDLER(`version ${version}: ${describe(err)}`, { cause: err });
    }
  }

  /** Waits `ms` on the injected timers, or less if `signal` aborts. */
  #sleep(ms: number, signal: AbortSignal): Promise<void> {
    const timers = this.#options.timers;
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const onAbort = (): void => {
        timers.clearTimeout(handle);
        resolve();
      };
      const handle = timers.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
