import type { MeshLists, ProxyStatus, RouteTraffic, StateSnapshot } from './api-types.js';
import type { OpsApi } from './api-client.js';

/** How the watcher's link to discover-service is doing, for the status line. */
export type LinkStatus =
  | { state: 'live'; version: string }
  | { state: 'retrying'; error: string; retryInMs: number; failures: number };

export interface StateWatcherOptions {
  api: Pick<OpsApi, 'state' | 'meshLists' | 'proxies' | 'stats'>;
  /** New mesh lists (routes, services, components, plugins, errors, readiness). */
  onMesh(lists: MeshLists): void;
  /** New sidecar rows and the traffic they report (both behind the `proxies` part). */
  onProxies(rows: ProxyStatus[], traffic: RouteTraffic[]): void;
  onStatus(status: LinkStatus): void;
  /** Resolves after `ms`, or when `signal` aborts; inject a fake to test without waiting. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Long-poll length in seconds; the server caps it (60). Default 55. */
  waitSeconds?: number;
  /**
   * Pause after each change before asking again, in ms, so a mesh that changes all the time
   * is redrawn at most about once per pause. Default 1000.
   */
  minIntervalMs?: number;
  /** First retry delay after a failure, doubled per failure. Default 500. */
  retryInitialMs?: number;
  /** Cap of the retry delay. Default 30000. */
  retryMaxMs?: number;
}

const DEFAULTS = Object.freeze({ waitSeconds: 55, minIntervalMs: 1000, retryInitialMs: 500, retryMaxMs: 30_000 });

/**
 * Keeps the page current with one held request: long-polls `GET /v1/state` and re-reads
 * only the lists whose part of the version changed. Failures retry with capped backoff.
 */
export class StateWatcher {
  readonly #o: Required<StateWatcherOptions>;
  readonly #stop = new AbortController();
  #running: Promise<void> | undefined;

  constructor(options: StateWatcherOptions) {
    this.#o = Object.freeze({ ...DEFAULTS, ...options });
  }

  /** Starts the loop (once); the promise settles when {@link stop} was called. */
  start(): Promise<void> {
    this.#running ??= this.#loop();
    return this.#running;
  }

  /** Stops the loop and aborts the held request. */
  stop(): Promise<void> {
    this.#stop.abort();
    return this.#running ?? Promise.resolve();
  }

  async #loop(): Promise<void> {
    const o = this.#o;
    const signal = this.#stop.signal;
    let known: StateSnapshot | undefined;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const next = await o.api.state(known?.version, known === undefined ? 0 : o.waitSeconds, signal);
        if (next !== undefined) {
          await this.#refresh(known, next, signal);
          known = next;
        }
        if (failures > 0 || next !== undefined) o.onStatus({ state: 'live', version: (next ?? known)?.version ?? '' });
        failures = 0;
        if (next !== undefined) await o.sleep(o.minIntervalMs, signal);
      } catch (err) {
        if (signal.aborted) break;
        failures++;
        const retryInMs = Math.min(o.retryMaxMs, o.retryInitialMs * 2 ** Math.min(failures - 1, 30));
        o.onStatus({ state: 'retrying', error: err instanceof Error ? err.message : String(err), retryInMs, failures });
        await o.sleep(retryInMs, signal);
      }
    }
  }

  async #refresh(known: StateSnapshot | undefined, next: StateSnapshot, signal: AbortSignal): Promise<void> {
    const o = this.#o;
    const [mesh, proxies] = await Promise.all([
      known?.mesh === next.mesh ? undefined : o.api.meshLists(signal),
      known?.proxies === next.proxies ? undefined : Promise.all([o.api.proxies(signal), o.api.stats(signal)]),
    ]);
    if (signal.aborted) return;
    if (mesh !== undefined) o.onMesh(mesh);
    if (proxies !== undefined) o.onProxies(...proxies);
  }
}
