/**
 * Response schemas of the ops API, for the OpenAPI document and the tests
 * that check every answer against them. They mirror the types of
 * `state/mesh-view.ts` and `proxies/proxy-registry.ts`.
 */

const stringArray = { type: 'array', items: { type: 'string' } } as const;

export const errorBodySchema = {
  type: 'object',
  title: 'Error',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'Stable code, e.g. DISC_ERR_NOT_FOUND.' },
    message: { type: 'string' },
    reason: { type: 'string', description: 'What exactly is missing or wrong.' },
  },
} as const;

export const routeEndpointSchema = {
  type: 'object',
  required: ['address', 'port', 'state', 'used'],
  properties: {
    address: { type: 'string' },
    port: { type: 'integer' },
    state: { type: 'string', enum: ['ready', 'terminating', 'not-ready'] },
    used: { type: 'boolean', description: 'Whether a sidecar would send traffic to it now.' },
    zone: { type: 'string' },
    target: { type: 'string' },
    conditions: {
      type: 'object',
      description: 'EndpointSlice conditions as read.',
      required: ['ready', 'serving', 'terminating'],
      properties: { ready: { type: 'boolean' }, serving: { type: 'boolean' }, terminating: { type: 'boolean' } },
    },
  },
} as const;

export const routeRowSchema = {
  type: 'object',
  title: 'RouteRow',
  required: ['component', 'dependency', 'port', 'protocol', 'vip', 'policy', 'endpoints'],
  properties: {
    component: { type: 'string', description: 'namespace/service' },
    dependency: { type: 'string', description: 'namespace/service' },
    port: { type: 'integer' },
    protocol: { type: 'string' },
    vip: { type: 'string' },
    policy: { type: 'string' },
    options: {
      type: 'object',
      description: 'Resolved downstream-port options of this dependency port (Rainbond keys).',
      additionalProperties: { type: 'string' },
    },
    endpoints: { type: 'array', items: routeEndpointSchema },
    problem: { type: 'string', description: 'Why the dependency has no route, if so.' },
  },
} as const;

export const serviceSummarySchema = {
  type: 'object',
  title: 'ServiceSummary',
  required: ['namespace', 'name', 'uid', 'vip', 'ports', 'endpoints', 'component'],
  properties: {
    namespace: { type: 'string' },
    name: { type: 'string' },
    uid: { type: 'string' },
    vip: { type: 'string' },
    ports: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'port', 'targetPort', 'protocol'],
        properties: {
          name: { type: 'string' },
          port: { type: 'integer' },
          targetPort: { type: ['integer', 'string'] },
          protocol: { type: 'string' },
        },
      },
    },
    endpoints: { type: 'array', items: routeEndpointSchema },
    component: { type: 'boolean', description: 'Whether a component ConfigMap exists for it.' },
  },
} as const;

export const pluginSummarySchema = {
  type: 'object',
  title: 'PluginSummary',
  required: ['name', 'version', 'type', 'image', 'namespace', 'configMap'],
  properties: {
    name: { type: 'string' },
    version: { type: 'string' },
    type: { type: 'string' },
    image: { type: 'string' },
    namespace: { type: 'string' },
    configMap: { type: 'string' },
  },
} as const;

export const componentSummarySchema = {
  type: 'object',
  title: 'ComponentSummary',
  required: ['namespace', 'name', 'configMap', 'dependencies', 'plugins'],
  properties: {
    namespace: { type: 'string' },
    name: { type: 'string' },
    configMap: { type: 'string' },
    dependencies: stringArray,
    plugins: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'version', 'enabled'],
        properties: { name: { type: 'string' }, version: { type: 'string' }, enabled: { type: 'boolean' } },
      },
    },
  },
} as const;

export const configErrorSchema = {
  type: 'object',
  title: 'ConfigError',
  required: ['kind', 'name', 'path', 'reason', 'since'],
  properties: {
    kind: { type: 'string', description: 'plugin, component, service, endpointslice, values or source' },
    namespace: { type: 'string' },
    name: { type: 'string' },
    path: { type: 'string', description: 'Where inside the object, e.g. configGroups[0].items[1].options' },
    reason: { type: 'string' },
    since: { type: 'string', format: 'date-time' },
  },
} as const;

export const proxyStatusSchema = {
  type: 'object',
  title: 'ProxyStatus',
  required: ['id', 'kind', 'namespace', 'service', 'servedVersion', 'appliedVersion', 'lastSeen', 'connected', 'stale'],
  properties: {
    id: { type: 'string', description: 'Pod or host name (x-meshplug-proxy-id).' },
    kind: {
      type: 'string',
      enum: ['mesh-proxy', 'dns-shim'],
      description: 'mesh-proxy (injected pods: it also serves the pod DNS, so its applied version covers both), or a standalone dns-shim.',
    },
    namespace: { type: 'string' },
    service: { type: 'string' },
    servedVersion: { type: ['string', 'null'], description: 'Current version of its document.' },
    appliedVersion: { type: ['string', 'null'], description: 'Version it reported applied (x-meshplug-applied-version).' },
    lastSeen: { type: 'string', format: 'date-time' },
    connected: { type: 'boolean', description: 'A poll of it is held open now.' },
    stale: { type: 'boolean', description: 'Applied differs from served.' },
    lastReport: { type: 'string', format: 'date-time', description: 'Its last traffic report (POST /v1/proxies/report), if one is current.' },
  },
} as const;

export const healthSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok', 'ready', 'not ready'] } },
} as const;

/** `{ items: [...] }`: every list answer is wrapped, so fields can be added beside the items later. */
export function listOf<S extends object>(title: string, item: S) {
  return {
    type: 'object',
    title,
    required: ['items'],
    properties: { items: { type: 'array', items: item } },
  } as const;
}
