import type { ClusterReport, EndpointReport, ProxyReport } from '@meshplug/plugin-api';

/** mesh-proxy's bucket bounds (ms), as it reports them. */
export const BOUNDS_MS = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

export function endpointReport(address: string, extra: Partial<EndpointReport> = {}): EndpointReport {
  return { address, port: 8080, requests: 0, errors: 0, active: 0, ejected: false, ejections: 0, ...extra };
}

/** A cluster report with `latencies` as (bucket index -> count). */
export function clusterReport(dependency: string, endpoints: EndpointReport[], extra: Partial<ClusterReport> = {}, latencies: Record<number, number> = {}): ClusterReport {
  const latencyCounts = new Array<number>(BOUNDS_MS.length + 1).fill(0);
  for (const [i, n] of Object.entries(latencies)) latencyCounts[Number(i)] = n;
  return { dependency, port: 8080, requests: 0, errors: 0, latencyCounts, latencySumMs: 0, endpoints, ...extra };
}

export function proxyReport(service: string, clusters: ClusterReport[], namespace = 'shop'): ProxyReport {
  return { namespace, service, intervalSeconds: 10, latencyBoundsMs: BOUNDS_MS, clusters };
}
