import type { EndpointTraffic, RouteRow, RouteTraffic } from './api-types.js';

/** Shown where no sidecar reported a number. */
export const NO_DATA = '—';

const COUNT = new Intl.NumberFormat('en-US');

/** `1234567` as `1,234,567`. */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** Milliseconds with about three significant digits: `0.76 ms`, `12.3 ms`, `375 ms`, `2.5 s`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${Number((ms / 1000).toPrecision(3))} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${Number(ms.toPrecision(ms >= 10 ? 3 : 2))} ms`;
}

/** `p50 0.76 ms · p99 375 ms`, or {@link NO_DATA} when nothing was timed. */
export function formatLatency(latency: RouteTraffic['latency']): string {
  return latency === undefined ? NO_DATA : `p50 ${formatMs(latency.p50Ms)} · p99 ${formatMs(latency.p99Ms)}`;
}

/** `2 (40%)`; just `0` without errors. */
export function formatErrors(errors: number, requests: number): string {
  if (errors === 0 || requests === 0) return formatCount(errors);
  const share = (errors * 100) / requests;
  return `${formatCount(errors)} (${share < 1 ? share.toFixed(1) : Math.round(share)}%)`;
}

/** Whether it is ejected now: `yes`, or `yes (1/2)` when only some of the sidecars have it ejected; else `no`. */
export function formatEjected(e: EndpointTraffic, sidecars: number): string {
  if (!e.ejected) return 'no';
  return e.ejectedBy < sidecars ? `yes (${e.ejectedBy}/${sidecars})` : 'yes';
}

/** The reported traffic of a routes row (same component, dependency and port). */
export function trafficFor(traffic: readonly RouteTraffic[], row: Pick<RouteRow, 'component' | 'dependency' | 'port'>): RouteTraffic | undefined {
  return traffic.find((t) => t.component === row.component && t.dependency === row.dependency && t.port === row.port);
}

/** One endpoint's numbers in a row's traffic. */
export function endpointTraffic(traffic: RouteTraffic | undefined, address: string, port: number): EndpointTraffic | undefined {
  return traffic?.endpoints.find((e) => e.address === address && e.port === port);
}
