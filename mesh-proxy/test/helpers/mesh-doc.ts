import type { InboundListener, MeshDocument, MeshEndpoint, OutboundCluster } from '@meshplug/plugin-api';

export const NS = 'shop';
export const SVC = 'web';

export function endpoint(address: string, port: number, weight = 1): MeshEndpoint {
  return { address, port, ready: true, serving: true, terminating: false, weight };
}

export function outbound(
  vip: string,
  port: number,
  endpoints: MeshEndpoint[],
  extra: Partial<OutboundCluster> = {},
): OutboundCluster {
  return {
    name: `${NS}/dep-${vip.replace(/\./g, '-')}:${port}`,
    namespace: NS,
    service: `dep-${vip.replace(/\./g, '-')}`,
    vip,
    port,
    protocol: 'http',
    mode: 'http',
    policy: 'round_robin',
    options: {},
    endpoints,
    ...extra,
  };
}

export function inbound(port: number, outerPort: number, extra: Partial<InboundListener> = {}): InboundListener {
  return { name: `port-${port}`, port, outerPort, protocol: 'http', mode: 'http', options: {}, ...extra };
}

export function meshDoc(version: string, parts: { inbound?: InboundListener[]; outbound?: OutboundCluster[] }): MeshDocument {
  return {
    version,
    namespace: NS,
    service: SVC,
    inbound: parts.inbound ?? [],
    outbound: parts.outbound ?? [],
    dns: { records: [], searches: [], upstream: [], clusterDomain: 'cluster.local', ttl: 5 },
  };
}
