import type { ProxyRegistry } from '../proxies/proxy-registry.js';
import { aggregateTraffic } from '../proxies/traffic-stats.js';
import { contentVersion } from '../resolve/content-version.js';
import type { Lookup, MeshView } from '../state/mesh-view.js';
import type { ServerTimers } from './server-options.js';

/** What `GET /v1/state` answers: one version per part of the ops API, and one over both. */
export interface StateSnapshot {
  /** Changes whenever `mesh` or `proxies` does; the ETag of `/v1/state`. */
  version: string;
  /** Content version of `/v1/routes`, `/v1/services`, `/v1/components`, `/v1/plugins`, `/v1/errors` and readiness. */
  mesh: string;
  /**
   * Content version of `/v1/proxies` without `lastSeen` and `lastReport` (which move on every poll
   * and report), and of `/v1/stats` as of its last refresh (at most one per `statsPeriodMs`).
   */
  proxies: string;
}

export interface StateVersionOptions {
  /** The lists' source; its changes are heard at once. */
  view: MeshView;
  /** The sidecars seen polling; their activity is heard after `settleMs`. */
  proxies: ProxyRegistry;
  /** Timer of the settle delay; inject fakes to test without waiting. */
  timers: ServerTimers;
  /**
   * How long poll activity settles before listeners hear of it, in ms. A sidecar's poll ends and
   * its next one starts within milliseconds; settling first means such a blink changes nothing.
   */
  settleMs: number;
  /**
   * Shortest time between two changes of the traffic numbers (`/v1/stats`) in the proxies part, in ms:
   * the first report after a quiet period counts at once, later ones together at the end of the period.
   * Default {@link STATS_PERIOD_MS}.
   */
  statsPeriodMs?: number;
}

/** Default of {@link StateVersionOptions.settleMs}. */
export const STATE_SETTLE_MS = 1000;

/** Default of {@link StateVersionOptions.statsPeriodMs}: mesh-proxy's default report period. */
export const STATS_PERIOD_MS = 10_000;

/**
 * The version of everything the ops API lists, for watchers such as the dashboard: content
 * hashes, so a change that does not alter what the lists show does not wake anyone. The mesh
 * part is recomputed once per view change and only when asked; the proxies part only after
 * poll activity or a view change (served versions come from the view).
 */
export class StateVersion {
  readonly #options: StateVersionOptions;
  readonly #listeners = new Set<() => void>();
  readonly #unsubscribe: (() => void)[];
  #viewGeneration = 0;
  #proxyGeneration = 0;
  /** Content version of the traffic stats when last refreshed. */
  #stats = '';
  #statsTimer: unknown;
  #statsPending = false;
  readonly #statsPeriodMs: number;
  #mesh: { generation: number; version: string } | undefined;
  #proxies: { generation: string; version: string } | undefined;
  #settleTimer: unknown;
  #closed = false;

  constructor(options: StateVersionOptions) {
    this.#options = options;
    this.#statsPeriodMs = options.statsPeriodMs ?? STATS_PERIOD_MS;
    this.#unsubscribe = [
      options.view.onChange(() => {
        this.#viewGeneration++;
        this.#emit();
      }),
      options.proxies.onActivity(() => {
        this.#proxyGeneration++;
        this.#scheduleSettle();
      }),
      options.proxies.onReport(() => this.#onReport()),
    ];
  }

  /** The current versions. */
  current(): StateSnapshot {
    const mesh = this.#meshVersion();
    const proxies = this.#proxiesVersion();
    return { version: contentVersion([mesh, proxies]), mesh, proxies };
  }

  /** The snapshot as a long-poll lookup (always found). */
  lookup(): Lookup<StateSnapshot> {
    const value = this.current();
    return { ok: true, value, version: value.version };
  }

  /** Called when the state may have changed (after a view change, or once poll activity settled). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops listening and drops a pending settle timer; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    if (this.#settleTimer !== undefined) this.#options.timers.clearTimeout(this.#settleTimer);
    if (this.#statsTimer !== undefined) this.#options.timers.clearTimeout(this.#statsTimer);
    this.#settleTimer = undefined;
    this.#statsTimer = undefined;
    this.#listeners.clear();
  }

  #meshVersion(): string {
    if (this.#mesh?.generation !== this.#viewGeneration) {
      const { view } = this.#options;
      const version = contentVersion({
        ready: view.isReady(),
        routes: view.routes(),
        services: view.services(),
        components: view.components(),
        plugins: view.plugins(),
        errors: view.errors(),
      });
      this.#mesh = { generation: this.#viewGeneration, version };
    }
    return this.#mesh.version;
  }

  #proxiesVersion(): string {
    const generation = `${this.#viewGeneration}/${this.#proxyGeneration}/${this.#stats}`;
    if (this.#proxies?.generation !== generation) {
      const { view, proxies } = this.#options;
      const rows = proxies.list((namespace, service) => {
        const lookup = view.mesh(namespace, service);
        return lookup.ok ? lookup.version : undefined;
      });
      const version = contentVersion({
        rows: rows.map(({ lastSeen: _lastSeen, lastReport: _lastReport, ...row }) => row),
        stats: this.#stats,
      });
      this.#proxies = { generation, version };
    }
    return this.#proxies.version;
  }

  /** Leading and trailing throttle: the numbers move the version at most once per period. */
  #onReport(): void {
    if (this.#closed) return;
    if (this.#statsTimer !== undefined) {
      this.#statsPending = true;
      return;
    }
    this.#refreshStats();
    const cool = (): void => {
      this.#statsTimer = undefined;
      if (!this.#statsPending) return;
      this.#statsPending = false;
      this.#refreshStats();
      this.#statsTimer = this.#options.timers.setTimeout(cool, this.#statsPeriodMs);
    };
    this.#statsTimer = this.#options.timers.setTimeout(cool, this.#statsPeriodMs);
  }

  #refreshStats(): void {
    const stats = contentVersion(aggregateTraffic(this.#options.proxies.reports()));
    if (stats === this.#stats) return;
    this.#stats = stats;
    this.#emit();
  }

  #scheduleSettle(): void {
    if (this.#closed || this.#settleTimer !== undefined) return;
    this.#settleTimer = this.#options.timers.setTimeout(() => {
      this.#settleTimer = undefined;
      this.#emit();
    }, this.#options.settleMs);
  }

  #emit(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
