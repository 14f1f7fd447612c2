import type { ProxyReport } from '@meshplug/plugin-api';

/**
 * Sidecar kinds that poll `/v1/mesh` (header `x-meshplug-proxy-kind`). An injected pod has one
 * mesh-proxy that also serves its DNS (`--dns-listen`); `dns-shim` is a standalone `meshplug dns`.
 */
export const PROXY_KINDS = ['mesh-proxy', 'dns-shim'] as const;
export type ProxyKind = (typeof PROXY_KINDS)[number];

/** Who is polling, from the `x-meshplug-proxy-*` headers and the polled path. */
export interface ProxyIdentity {
  /** Pod or host name. */
  id: string;
  kind: ProxyKind;
  namespace: string;
  service: string;
  /** The version the sidecar says it applied; absent before its first apply. */
  appliedVersion?: string;
}

/** One row of `/v1/proxies`, like `istioctl proxy-status`. */
export interface ProxyStatus {
  id: string;
  kind: ProxyKind;
  namespace: string;
  service: string;
  /** Current version of the sidecar's document; null when it has none (e.g. the Service is gone). */
  servedVersion: string | null;
  appliedVersion: string | null;
  /** ISO time of the last poll start or end. */
  lastSeen: string;
  /** A poll of it is held open now. */
  connected: boolean;
  /** Applied differs from served. */
  stale: boolean;
  /** ISO time of its last traffic report (`POST /v1/proxies/report`); absent when it has none current. */
  lastReport?: string;
}

/** A sidecar's last traffic report, as kept until it is replaced or expires. */
export interface StoredReport {
  identity: ProxyIdentity;
  report: ProxyReport;
  /** ms since the epoch it arrived. */
  at: number;
}

export interface ProxyRegistryOptions {
  /** How long an entry without an open poll, or a traffic report, is kept after it was last seen, in ms. */
  ttlMs: number;
  /** Most entries; past it the least recently seen one is dropped. */
  maxEntries: number;
  /** ms since the epoch. */
  clock: () => number;
}

interface Entry {
  identity: ProxyIdentity;
  lastSeen: number;
  openPolls: number;
  report?: { report: ProxyReport; at: number };
}

/**
 * The sidecars seen on `/v1/mesh` polls. Kept in a Map in last-seen order, so
 * expiry and the size cap only look at its head.
 */
export class ProxyRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #options: ProxyRegistryOptions;
  readonly #activityListeners = new Set<() => void>();
  readonly #reportListeners = new Set<() => void>();

  constructor(options: ProxyRegistryOptions) {
    this.#options = options;
  }

  /** Entries held now (expired ones may linger until the next poll or list). */
  get size(): number {
    return this.#entries.size;
  }

  /** Sidecars with a poll held open now. */
  get connected(): number {
    let count = 0;
    for (const entry of this.#entries.values()) if (entry.openPolls > 0) count++;
    return count;
  }

  /**
   * Calls `listener` whenever a poll starts or ends (a row of {@link list} may have changed);
   * returns an unsubscribe. Listeners must be cheap: they run on every poll.
   */
  onActivity(listener: () => void): () => void {
    this.#activityListeners.add(listener);
    return () => this.#activityListeners.delete(listener);
  }

  /** Records a poll that starts now; call the returned function once when it ends. */
  pollStarted(identity: ProxyIdentity): () => void {
    const now = this.#options.clock();
    this.#expire(now);
    const key = `${identity.kind}\u0000${identity.id}`;
    const previous = this.#entries.get(key);
    const entry: Entry = { identity: { ...identity }, lastSeen: now, openPolls: (previous?.openPolls ?? 0) + 1, ...keepReport(previous) };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#enforceCap();
    this.#notify();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const current = this.#entries.get(key);
      if (current === undefined) return;
      current.openPolls = Math.max(0, current.openPolls - 1);
      current.lastSeen = this.#options.clock();
      this.#entries.delete(key);
      this.#entries.set(key, current);
      this.#notify();
    };
  }

  /**
   * Calls `listener` after each traffic report was stored; returns an unsubscribe. Runs once per
   * report of every sidecar: throttle anything costly.
   */
  onReport(listener: () => void): () => void {
    this.#reportListeners.add(listener);
    return () => this.#reportListeners.delete(listener);
  }

  /**
   * Keeps `report` as the sidecar's latest and counts as seeing it now. A sidecar never seen
   * polling is added (it may report to this replica and poll another); its applied version is
   * kept from the poll when the report does not name one.
   */
  report(identity: ProxyIdentity, report: ProxyReport): void {
    const now = this.#options.clock();
    this.#expire(now);
    const key = `${identity.kind}\u0000${identity.id}`;
    const previous = this.#entries.get(key);
    const appliedVersion = identity.appliedVersion ?? previous?.identity.appliedVersion;
    this.#entries.delete(key);
    this.#entries.set(key, {
      identity: { ...identity, ...(appliedVersion !== undefined ? { appliedVersion } : {}) },
      lastSeen: now,
      openPolls: previous?.openPolls ?? 0,
      report: { report, at: now },
    });
    this.#enforceCap();
    this.#notify();
    for (const listener of this.#reportListeners) listener();
  }

  /** The current traffic reports: one per sidecar, none older than the TTL. */
  reports(): StoredReport[] {
    const now = this.#options.clock();
    this.#expire(now);
    const out: StoredReport[] = [];
    for (const { identity, report } of this.#entries.values()) {
      if (report !== undefined && now - report.at <= this.#options.ttlMs) out.push({ identity, report: report.report, at: report.at });
    }
    return out;
  }

  /** Every known sidecar, sorted by namespace, service, kind, id. */
  list(servedVersion: (namespace: string, service: string) => string | undefined): ProxyStatus[] {
    const now = this.#options.clock();
    this.#expire(now);
    const rows: ProxyStatus[] = [];
    for (const { identity, lastSeen, openPolls, report } of this.#entries.values()) {
      const served = servedVersion(identity.namespace, identity.service) ?? null;
      const applied = identity.appliedVersion ?? null;
      rows.push({
        id: identity.id,
        kind: identity.kind,
        namespace: identity.namespace,
        service: identity.service,
        servedVersion: served,
        appliedVersion: applied,
        lastSeen: new Date(lastSeen).toISOString(),
        connected: openPolls > 0,
        stale: served !== applied,
        ...(report !== undefined && now - report.at <= this.#options.ttlMs ? { lastReport: new Date(report.at).toISOString() } : {}),
      });
    }
    const order = (r: ProxyStatus): string => `${r.namespace}\u0000${r.service}\u0000${r.kind}\u0000${r.id}`;
    return rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  }

  #notify(): void {
    for (const listener of this.#activityListeners) listener();
  }

  #expire(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (now - entry.lastSeen <= this.#options.ttlMs) break;
      if (entry.openPolls === 0) this.#entries.delete(key);
    }
  }

  #enforceCap(): void {
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#options.maxEntries) return;
      this.#entries.delete(key);
    }
  }
}

/** A poll replaces the entry; the report it carried stays. */
function keepReport(entry: Entry | undefined): Pick<Entry, 'report'> {
  return entry?.report === undefined ? {} : { report: entry.report };
}
