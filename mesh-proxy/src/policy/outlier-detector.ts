import type { BalancedEndpoint } from '../balancers/balancer.js';
import { MeshProxyErrors } from '../errors.js';

/** Outlier ejection settings (Envoy `outlier_detection`, Rainbond's per-port keys). */
export interface OutlierDetectorOptions {
  /** `ConsecutiveErrors`: consecutive failures (5xx, connect failure, reset, timeout) that eject an endpoint; 0 disables ejection. */
  consecutiveErrors: number;
  /** `BaseEjectionTimeMS` (>= 1): the first ejection lasts this long; the n-th lasts n times as long (Envoy). */
  baseEjectionTimeMs: number;
  /** `MaxEjectionPercent` (0..100): most of the set that may be ejected at once; see {@link OutlierDetector} for the "at least one" rule. */
  maxEjectionPercent: number;
  /** Cap of one ejection (Envoy `max_ejection_time`), never below the base time. Default 300000. */
  maxEjectionTimeMs?: number;
  /** Clock in epoch milliseconds (the admin API shows `ejectedUntil`). Default `Date.now`. */
  now?: () => number;
}

/** Defaults of the settings Rainbond has no key for. */
export const OUTLIER_DETECTOR_DEFAULTS = Object.freeze({ maxEjectionTimeMs: 300_000 });

/** One endpoint's state, as `/clusters` shows it. */
export interface OutlierHostSnapshot {
  id: string;
  ejected: boolean;
  /** Epoch ms the current ejection ends; null when not ejected. */
  ejectedUntil: number | null;
  consecutiveFailures: number;
  /** Ejections since the endpoint appeared. */
  ejectionCount: number;
}

export interface OutlierSnapshot {
  hosts: OutlierHostSnapshot[];
  ejectedCount: number;
  /** Ejections performed (Envoy `ejections_enforced_total`). */
  ejectionsTotal: number;
  /** Ejections refused because of MaxEjectionPercent (Envoy `ejections_overflow`). */
  ejectionsOverflow: number;
}

interface HostState {
  consecutiveFailures: number;
  /** 0 when not ejected. */
  ejectedUntil: number;
  ejectionCount: number;
  /** Multiplier of the base time for the next ejection; decays while healthy. */
  multiplier: number;
  /** When the endpoint last became healthy (added or un-ejected). */
  healthySince: number;
}

type ResolvedOptions = Readonly<Required<Omit<OutlierDetectorOptions, 'now'>>>;

/**
 * Passive health checking by consecutive failures (Envoy's consecutive_5xx).
 * An endpoint reaching `consecutiveErrors` failures in a row is ejected for
 * `base * n` (n = its ejection multiplier, capped by `maxEjectionTimeMs`); each
 * full base period it then stays healthy lowers the multiplier by one, as
 * Envoy does since 1.17. Ejection ends lazily when the time has passed.
 *
 * MaxEjectionPercent follows Envoy's classic rule (the one Rainbond shipped):
 * an ejection is allowed while (ejected + 1) / total <= percent, and one
 * endpoint may always be ejected when none is, as long as percent > 0 — else
 * the default 10% would never eject anything in sets under ten endpoints.
 * Endpoints must be registered with `update`; results for unknown ids are ignored.
 */
export class OutlierDetector {
  private options: ResolvedOptions;
  private readonly now: () => number;
  private hosts = new Map<string, HostState>();
  private ejected = 0;
  /** Earliest `ejectedUntil` among ejected hosts, so expiry is checked in O(1). */
  private nextExpiry = Infinity;
  private ejectionsTotal = 0;
  private ejectionsOverflow = 0;

  /** The exclude predicate for `Balancer.pick`, bound once. */
  readonly isEjectedEndpoint = (e: BalancedEndpoint): boolean => this.isEjected(e.id);

  constructor(options: OutlierDetectorOptions) {
    this.options = resolveOptions(options);
    this.now = options.now ?? Date.now;
  }

  /** Applies new settings (a config change); ejections under way keep their end time. */
  reconfigure(options: Omit<OutlierDetectorOptions, 'now'>): void {
    this.options = resolveOptions(options);
  }

  /** Number of endpoints tracked. */
  get size(): number {
    return this.hosts.size;
  }

  /** Replaces the tracked set: state of ids that stay is kept, removed ids are forgotten. */
  update(ids: Iterable<string>): void {
    const t = this.now();
    const next = new Map<string, HostState>();
    for (const id of ids) {
      if (next.has(id)) continue;
      next.set(id, this.hosts.get(id) ?? { consecutiveFailures: 0, ejectedUntil: 0, ejectionCount: 0, multiplier: 0, healthySince: t });
    }
    this.hosts = next;
    this.nextExpiry = 0;
    this.expire();
  }

  /** A success resets the endpoint's run of failures. */
  recordSuccess(id: string): void {
    const h = this.hosts.get(id);
    if (h) h.consecutiveFailures = 0;
  }

  /** Counts a failure; returns true when it ejected the endpoint. Failures of an ejected endpoint are ignored. */
  recordFailure(id: string): boolean {
    const h = this.hosts.get(id);
    if (!h) return false;
    const t = this.now();
    this.expire();
    if (h.ejectedUntil > t) return false;
    h.consecutiveFailures += 1;
    if (this.options.consecutiveErrors === 0 || h.consecutiveFailures < this.options.consecutiveErrors) return false;
    if (!this.mayEject()) {
      this.ejectionsOverflow += 1;
      return false;
    }
    const base = this.options.baseEjectionTimeMs;
    const healthyPeriods = Math.floor((t - h.healthySince) / base);
    h.multiplier = Math.max(0, h.multiplier - healthyPeriods) + 1;
    h.ejectedUntil = t + Math.min(base * h.multiplier, this.options.maxEjectionTimeMs);
    h.consecutiveFailures = 0;
    h.ejectionCount += 1;
    this.ejected += 1;
    this.ejectionsTotal += 1;
    if (h.ejectedUntil < this.nextExpiry) this.nextExpiry = h.ejectedUntil;
    return true;
  }

  /** Whether `id` is ejected now. Unknown ids are not. */
  isEjected(id: string): boolean {
    this.expire();
    if (this.ejected === 0) return false;
    const h = this.hosts.get(id);
    return h !== undefined && h.ejectedUntil > 0;
  }

  /** How many tracked endpoints are ejected now. */
  ejectedCount(): number {
    this.expire();
    return this.ejected;
  }

  snapshot(): OutlierSnapshot {
    this.expire();
    const hosts: OutlierHostSnapshot[] = [];
    for (const [id, h] of this.hosts) {
      hosts.push({
        id,
        ejected: h.ejectedUntil > 0,
        ejectedUntil: h.ejectedUntil > 0 ? h.ejectedUntil : null,
        consecutiveFailures: h.consecutiveFailures,
        ejectionCount: h.ejectionCount,
      });
    }
    return { hosts, ejectedCount: this.ejected, ejectionsTotal: this.ejectionsTotal, ejectionsOverflow: this.ejectionsOverflow };
  }

  private mayEject(): boolean {
    const percent = this.options.maxEjectionPercent;
    if (percent === 0) return false;
    if (this.ejected === 0) return true;
    return ((this.ejected + 1) * 100) / this.hosts.size <= percent;
  }

  /** Returns endpoints whose ejection time has passed; a full scan only when the earliest expiry is due. */
  private expire(): void {
    const t = this.now();
    if (t < this.nextExpiry) return;
    let ejected = 0;
    let next = Infinity;
    for (const h of this.hosts.values()) {
      if (h.ejectedUntil === 0) continue;
      if (h.ejectedUntil <= t) {
        h.healthySince = h.ejectedUntil;
        h.ejectedUntil = 0;
        continue;
      }
      ejected += 1;
      if (h.ejectedUntil < next) next = h.ejectedUntil;
    }
    this.ejected = ejected;
    this.nextExpiry = next;
  }
}

function resolveOptions(options: Omit<OutlierDetectorOptions, 'now'>): ResolvedOptions {
  const bad = (field: string, value: unknown): never => {
    throw new MeshProxyErrors.MESH_ERR_INVALID_OPTIONS(`outlier detector ${field}: ${String(value)}`);
  };
  const int = (field: keyof ResolvedOptions, value: number, min: number, max: number): number =>
    Number.isInteger(value) && value >= min && value <= max ? value : bad(field, value);
  const base = int('baseEjectionTimeMs', options.baseEjectionTimeMs, 1, 86_400_000);
  return Object.freeze({
    consecutiveErrors: int('consecutiveErrors', options.consecutiveErrors, 0, 1_000_000),
    baseEjectionTimeMs: base,
    maxEjectionPercent: int('maxEjectionPercent', options.maxEjectionPercent, 0, 100),
    maxEjectionTimeMs: Math.max(
      base,
      int('maxEjectionTimeMs', options.maxEjectionTimeMs ?? OUTLIER_DETECTOR_DEFAULTS.maxEjectionTimeMs, 1, 86_400_000),
    ),
  });
}
