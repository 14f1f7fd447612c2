import type { MeshDocument, ResourceSpec } from '@meshplug/plugin-api';

/** An object that was rejected, or a source problem: what `/v1/errors` lists. */
export interface ConfigError {
  /** `plugin`, `component`, `service`, `endpointslice`, `values` or `source`. */
  kind: string;
  namespace?: string;
  /** Object name (ConfigMap name), or the source name for a source problem. */
  name: string;
  /** JSON path inside the object where the problem is, e.g. `configGroups[0].items[1].options`. */
  path: string;
  reason: string;
  /** ISO time it was first seen. */
  since: string;
}

/** Either a value with its version, or why there is none (a JSON 404 with `code` and `reason`). */
export type Lookup<T> =
  | { ok: true; value: T; version: string }
  | { ok: false; code: string; reason: string };

export type EndpointState = 'ready' | 'terminating' | 'not-ready';

export interface RouteEndpoint {
  address: string;
  port: number;
  state: EndpointState;
  /** Whether the sidecar would send traffic to it now. */
  used: boolean;
  zone?: string;
  target?: string;
  /** The EndpointSlice conditions as read (a legacy Endpoints address is ready and serving, or neither). */
  conditions?: { ready: boolean; serving: boolean; terminating: boolean };
}

/** One row of the routes table: component -> dependency port -> endpoints. */
export interface RouteRow {
  /** `namespace/service`. */
  component: string;
  /** `namespace/service`. */
  dependency: string;
  port: number;
  protocol: string;
  vip: string;
  policy: string;
  /** Resolved downstream-port options of this dependency port (Rainbond keys, string values). */
  options?: Record<string, string>;
  endpoints: RouteEndpoint[];
  /** Why the dependency has no route (missing Service, no such port), if so. */
  problem?: string;
}

export interface ServiceSummary {
  namespace: string;
  name: string;
  uid: string;
  vip: string;
  ports: { name: string; port: number; targetPort: number | string; protocol: string }[];
  endpoints: RouteEndpoint[];
  /** Whether a component ConfigMap exists for it. */
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

/**
 * The resolved state of the mesh, read by the HTTP API. Implemented over the
 * store by the resolver; every lookup is cheap (cached until a change that
 * concerns it), so long-poll waiters can re-check on every change.
 */
export interface MeshView {
  resources(namespace: string, service: string, plugin: string): Lookup<ResourceSpec>;
  mesh(namespace: string, service: string): Lookup<MeshDocument>;
  routes(filter?: { namespace?: string; service?: string }): RouteRow[];
  services(): ServiceSummary[];
  service(namespace: string, name: string): ServiceSummary | undefined;
  plugins(): PluginSummary[];
  components(): ComponentSummary[];
  errors(): ConfigError[];
  /** True once every source has delivered its first full list. */
  isReady(): boolean;
  /** Called after each batch of changes has been applied; returns an unsubscribe. */
  onChange(listener: () => void): () => void;
}
