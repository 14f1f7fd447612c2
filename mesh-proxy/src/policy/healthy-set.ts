import type { BalancedEndpoint, ExcludeFn } from '../balancers/balancer.js';

/** What the panic rule needs from the ejection state; {@link OutlierDetector} provides it. */
export interface EjectionState {
  /** Endpoints tracked. */
  readonly size: number;
  ejectedCount(): number;
  /** Exclude predicate that is true for ejected endpoints. */
  readonly isEjectedEndpoint: ExcludeFn;
}

/**
 * Envoy's panic threshold (`HealthyPanicThreshold`, percent): when fewer than
 * this share of the endpoints is healthy, ejection is ignored and traffic is
 * spread over all of them, so a wave of failures cannot funnel everything onto
 * the few that are left. 0 disables panic mode; an empty set is never in panic.
 */
export function inPanic(total: number, ejected: number, thresholdPercent: number): boolean {
  if (total === 0 || thresholdPercent <= 0) return false;
  return ((total - ejected) * 100) / total < thresholdPercent;
}

/**
 * The `exclude` predicate for `Balancer.pick`: ejected endpoints, unless the
 * set is in panic. Undefined when nothing needs excluding, which lets the
 * balancer take its unfiltered fast path. Allocates nothing.
 */
export function healthyExclude(state: EjectionState, panicThresholdPercent: number): ExcludeFn | undefined {
  const ejected = state.ejectedCount();
  if (ejected === 0 || inPanic(state.size, ejected, panicThresholdPercent)) return undefined;
  return state.isEjectedEndpoint;
}

/**
 * For a retry: also excludes the endpoints this request already tried (by id),
 * so the retry goes elsewhere. When it leaves nothing eligible, pick again
 * with the base predicate alone (Envoy's previous-hosts predicate does the same
 * after its attempts): a retry on the same endpoint beats none.
 */
export function excludeTried<E extends BalancedEndpoint>(
  base: ExcludeFn<E> | undefined,
  tried: ReadonlySet<string>,
): ExcludeFn<E> {
  if (base === undefined) return (e) => tried.has(e.id);
  return (e) => tried.has(e.id) || base(e);
}
