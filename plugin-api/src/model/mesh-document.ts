/**
 * The sidecar config document served at `/v1/mesh/{ns}/{service}`: everything
 * mesh-proxy and dns-shim need, in one versioned document.
 */
export const LB_POLICIES = ['round_robin', 'least_request', 'peak_ewma', 'random'] as const;
export type LbPolicy = (typeof LB_POLICIES)[number];

/** `http` is balanced per request, `tcp` per connection. */
export type ProxyProtocol = 'http' | 'tcp';

export interface MeshEndpoint {
  address: string;
  /** Port to connect to: the outer port for meshed pods, the app port otherwise. */
  port: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  zone?: string;
  nodeName?: string;
  /** `namespace/pod` when the slice names a target. */
  target?: string;
  /** Relative weight (from the `Weight` option); 1..1000. */
  weight: number;
}

export interface InboundListener {
  /** Port name, or `port-<n>` when the Service port has none. */
  name: string;
  /** App port the sidecar forwards to on 127.0.0.1. */
  port: number;
  /** Generated outer port the sidecar listens on. */
  outerPort: number;
  /** Protocol as declared (`http`, `grpc`, `tcp`, ...). */
  protocol: string;
  /** How the proxy forwards it. */
  mode: ProxyProtocol;
  /** Options of the component-port groups for this port (Rainbond keys). */
  options: Record<string, string>;
}

export interface OutboundCluster {
  /** `namespace/service:port`. */
  name: string;
  namespace: string;
  service: string;
  /** Loopback VIP the sidecar listens on for this dependency. */
  vip: string;
  /** Service port: the sidecar listens on `vip:port`. */
  port: number;
  portName?: string;
  protocol: string;
  mode: ProxyProtocol;
  policy: LbPolicy;
  /** Options of the downstream-port groups for this dependency port (Rainbond keys). */
  options: Record<string, string>;
  /**
   * Endpoints with conditions. Only those that may take traffic are listed:
   * ready ones, or serving+terminating ones when no ready one is left.
   */
  endpoints: MeshEndpoint[];
}

export interface DnsPort {
  name: string;
  port: number;
  protocol: string;
}

export interface DnsRecord {
  /** Every name this record answers, lower-case, without trailing dot. */
  names: string[];
  /** `namespace/service`. */
  service: string;
  address: string;
  ports: DnsPort[];
}

export interface DnsTable {
  records: DnsRecord[];
  /** The pod's search list. */
  searches: string[];
  /** Upstream resolvers, `IP:PORT`; empty means dns-shim's own `--upstream`. */
  upstream: string[];
  clusterDomain: string;
  /** TTL of mesh answers, seconds. */
  ttl: number;
}

export interface MeshDocument {
  /** Config version; the ETag of the document. */
  version: string;
  namespace: string;
  service: string;
  inbound: InboundListener[];
  outbound: OutboundCluster[];
  dns: DnsTable;
}
