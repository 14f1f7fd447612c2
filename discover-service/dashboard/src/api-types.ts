/**
 * The JSON the dashboard reads, as documented in discover-service's `/openapi.json`.
 * Written out here rather than imported: the page depends on the wire format only.
 */

export type EndpointState = 'ready' | 'terminating' | 'not-ready';

export interface RouteEndpoint {
  address: string;
  port: number;
  state: EndpointState;
  used: boolean;
  zone?: string;
  target?: string;
  conditions?: { ready: boolean; serving: boolean; terminating: boolean };
}

export interface RouteRow {
  /** `namespace/service`. */
  component: string;
  /** `namespace/service`. */
  dependency: string;
  port: number;
  protocol: string;
  vip: string;
  policy: string;
  options?: Record<string, string>;
  endpoints: RouteEndpoint[];
  problem?: string;
}

export interface ServiceSummary {
  namespace: string;
  name: string;
  uid: string;
  vip: string;
  ports: { name: string; port: number; targetPort: number | string; protocol: string }[];
  endpoints: RouteEndpoint[];
  component: boolean;
}

export interface PluginSummary {
  name: string;
  version: string;
  type: string;
  image: string;
  namespace: string;
  configMap: string;
}

export interface ComponentSummary {
  namespace: string;
  name: string;
  configMap: string;
  dependencies: string[];
  plugins: { name: string; version: string; enabled: boolean }[];
}

export interface ConfigError {
  kind: string;
  namespace?: string;
  name: string;
  path: string;
  reason: string;
  since: string;
}

export interface ProxyStatus {
  id: string;
  kind: 'mesh-proxy' | 'dns-shim';
  namespace: string;
  service: string;
  servedVersion: string | null;
  appliedVersion: string | null;
  lastSeen: string;
  connected: boolean;
  stale: boolean;
  /** Its last traffic report, when one is current. */
  lastReport?: string;
}

/** One endpoint's traffic, summed over the calling component's reporting sidecars (`GET /v1/stats`). */
export interface EndpointTraffic {
  address: string;
  port: number;
  requests: number;
  errors: number;
  active: number;
  ejected: boolean;
  ejectedBy: number;
  ejections: number;
}

/** Traffic of one component -> dependency port (`GET /v1/stats`). */
export interface RouteTraffic {
  component: string;
  dependency: string;
  port: number;
  sidecars: number;
  requests: number;
  errors: number;
  /** Over the sidecars' last report period; absent when nothing was timed. */
  latency?: { count: number; meanMs: number; p50Ms: number; p99Ms: number };
  endpoints: EndpointTraffic[];
}

/** `GET /v1/state`. */
export interface StateSnapshot {
  version: string;
  mesh: string;
  proxies: string;
}

/** Everything behind the `mesh` part of the state version. */
export interface MeshLists {
  routes: RouteRow[];
  services: ServiceSummary[];
  components: ComponentSummary[];
  plugins: PluginSummary[];
  errors: ConfigError[];
  ready: boolean;
}
