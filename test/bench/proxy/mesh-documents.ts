import type { MeshDocument, MeshEndpoint, OutboundCluster, ProxyProtocol } from '@meshplug/plugin-api';

/** Where each path of the benchmark lives; ports are picked free at start. */
export interface MeshLayout {
  upstreamHttpPort: number;
  upstreamTcpPort: number;
  /** Proxy A (the caller's sidecar): outbound HTTP to the upstream. */
  httpVip: string;
  httpVipPort: number;
  /** Proxy A: outbound TCP to the echo server. */
  tcpVip: string;
  tcpVipPort: number;
  /** Proxy A: outbound HTTP to proxy B's inbound outer port (the two-hop chain). */
  chainVip: string;
  chainVipPort: number;
  /** Proxy B (the callee's sidecar): inbound outer port in front of the upstream. */
  outerPort: number;
}

function endpoint(port: number): MeshEndpoint {
  return { address: '127.0.0.1', port, ready: true, serving: true, terminating: false, weight: 1 };
}

function cluster(service: string, vip: string, port: number, mode: ProxyProtocol, target: number): OutboundCluster {
  return {
    name: `bench/${service}:${port}`,
    namespace: 'bench',
    service,
    vip,
    port,
    portName: mode,
    protocol: mode,
    mode,
    policy: 'round_robin',
    options: {},
    endpoints: [endpoint(target)],
  };
}

const NO_DNS = { records: [], searches: [], upstream: [], clusterDomain: 'cluster.local', ttl: 5 };

/** The caller's sidecar: three outbound clusters, and a DNS table naming them (for dns-shim). */
export function callerDocument(l: MeshLayout): MeshDocument {
  const outbound = [
    cluster('upstream', l.httpVip, l.httpVipPort, 'http', l.upstreamHttpPort),
    cluster('echo', l.tcpVip, l.tcpVipPort, 'tcp', l.upstreamTcpPort),
    cluster('callee', l.chainVip, l.chainVipPort, 'http', l.outerPort),
  ];
  return {
    version: 'proxy-bench-caller-1',
    namespace: 'bench',
    service: 'caller',
    inbound: [],
    outbound,
    dns: {
      ...NO_DNS,
      records: outbound.map((c) => ({
        names: [c.service, `${c.service}.bench`, `${c.service}.bench.svc`, `${c.service}.bench.svc.cluster.local`],
        service: `bench/${c.service}`,
        address: c.vip,
        ports: [{ name: c.mode, port: c.port, protocol: c.protocol }],
      })),
    },
  };
}

/** The callee's sidecar: one inbound HTTP listener, outer port -> the upstream's port. */
export function calleeDocument(l: MeshLayout): MeshDocument {
  return {
    version: 'proxy-bench-callee-1',
    namespace: 'bench',
    service: 'callee',
    inbound: [{ name: 'http', port: l.upstreamHttpPort, outerPort: l.outerPort, protocol: 'http', mode: 'http', options: {} }],
    outbound: [],
    dns: NO_DNS,
  };
}
