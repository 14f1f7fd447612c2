import type { LbPolicy } from '@meshplug/plugin-api';
import { MeshProxyErrors } from '../errors.js';
import { LeastRequestBalancer } from './least-request-balancer.js';
import { PeakEwmaBalancer } from './peak-ewma-balancer.js';
import { RandomBalancer } from './random-balancer.js';
import { RoundRobinBalancer } from './round-robin-balancer.js';

/** What a balancer needs to know about an endpoint; callers pass their own richer objects. */
export interface BalancedEndpoint {
  /** Stable identity across updates, `address:port`. */
  readonly id: string;
  /** Relative weight, >= 1. Values below 1 or not finite count as 1. */
  readonly weight: number;
}

/** Says whether an endpoint must not be picked (ejected, already tried by this request...). */
export type ExcludeFn<E extends BalancedEndpoint = BalancedEndpoint> = (e: E) => boolean;

/**
 * One load-balancing policy over a changing set of endpoints. HTTP calls
 * `pick` per request, TCP per connection; both report `onStart`/`onEnd` so
 * load-aware policies see in-flight work and latency.
 */
export interface Balancer<E extends BalancedEndpoint = BalancedEndpoint> {
  readonly policy: LbPolicy;
  /**
   * Replaces the endpoint set. Per-endpoint state (in-flight count, latency,
   * round-robin position) survives for ids present before and after; ids seen
   * twice in one update count once (the first wins).
   */
  update(endpoints: readonly E[]): void;
  /** The next endpoint among those `exclude` lets through; undefined when none is eligible. Never throws. */
  pick(exclude?: ExcludeFn<E>): E | undefined;
  /** A request or connection started on `e`. Unknown endpoints (removed meanwhile) are ignored. */
  onStart(e: E): void;
  /** It ended after `latencyMs`; `ok` false for a connect failure, reset or 5xx. */
  onEnd(e: E, latencyMs: number, ok: boolean): void;
}

/** Injectable sources of randomness and time, so tests are deterministic. */
export interface BalancerDeps {
  /** Uniform in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Monotonic milliseconds, used by `peak_ewma` for decay. Default `performance.now`. */
  now?: () => number;
}

/** Builds the balancer for `policy`; every policy honours weights and `exclude`. */
export function createBalancer<E extends BalancedEndpoint = BalancedEndpoint>(
  policy: LbPolicy,
  deps: BalancerDeps = {},
): Balancer<E> {
  const random = deps.random ?? Math.random;
  switch (policy) {
    case 'round_robin':
      return new RoundRobinBalancer<E>();
    case 'random':
      return new RandomBalancer<E>(random);
    case 'least_request':
      return new LeastRequestBalancer<E>(random);
    case 'peak_ewma':
      return new PeakEwmaBalancer<E>(random, deps.now ?? (() => performance.now()));
    default:
      // Reached only by untyped callers; config parsing rejects unknown policies before this.
      throw new MeshProxyErrors.MESH_ERR_INVALID_OPTIONS(`LBPolicy: unknown policy ${String(policy)}`);
  }
}
