import { proxyReportSchema } from '@meshplug/plugin-api';
import { errorBodySchema } from './ops-schemas.js';

/*
 * Schemas of the traffic report a sidecar sends (`POST /v1/proxies/report`) and of what the ops
 * API makes of it (`GET /v1/stats`); they mirror proxies/traffic-stats.ts.
 */

export const reportBodySchema = proxyReportSchema;

export const reportHeadersSchema = {
  type: 'object',
  required: ['x-meshplug-proxy-id', 'x-meshplug-proxy-kind'],
  properties: {
    'x-meshplug-proxy-id': { type: 'string', description: 'Pod or host name of the sidecar, as on its /v1/mesh polls.' },
    'x-meshplug-proxy-kind': { type: 'string', enum: ['mesh-proxy', 'dns-shim'] },
    'x-meshplug-applied-version': { type: 'string', description: 'The config version the sidecar has applied.' },
    authorization: {
      type: 'string',
      description: "With `serve --auth tokenreview`: `Bearer <token>` of a ServiceAccount in the report's namespace.",
    },
  },
} as const;

export const reportResponses = {
  204: { description: 'Stored: the sidecar counts as seen, its numbers replace its previous report', type: 'null' },
  400: { description: 'Malformed report or identity headers', ...errorBodySchema },
  401: { description: 'With --auth tokenreview: no token, or one the cluster does not accept', ...errorBodySchema },
  403: { description: "With --auth tokenreview: the token's ServiceAccount is of another namespace than the report's", ...errorBodySchema },
  413: { description: 'The report is larger than the body limit', ...errorBodySchema },
} as const;

const count = { type: 'integer', minimum: 0 } as const;
const ms = { type: 'number', minimum: 0 } as const;

export const endpointTrafficSchema = {
  type: 'object',
  required: ['address', 'port', 'requests', 'errors', 'active', 'ejected', 'ejectedBy', 'ejections'],
  properties: {
    address: { type: 'string' },
    port: { type: 'integer' },
    requests: { ...count, description: 'Attempts started on it (requests, or connections for TCP).' },
    errors: { ...count, description: 'Attempts that failed: connect failure, reset, timeout or 5xx.' },
    active: { ...count, description: 'Attempts in flight at the last reports.' },
    ejected: { type: 'boolean', description: 'Ejected by outlier detection in at least one sidecar.' },
    ejectedBy: { ...count, description: 'Sidecars that have it ejected.' },
    ejections: { ...count, description: 'Ejections so far, all sidecars together.' },
  },
} as const;

export const routeTrafficSchema = {
  type: 'object',
  title: 'RouteTraffic',
  required: ['component', 'dependency', 'port', 'sidecars', 'requests', 'errors', 'endpoints'],
  properties: {
    component: { type: 'string', description: 'namespace/service of the caller' },
    dependency: { type: 'string', description: 'namespace/service' },
    port: { type: 'integer' },
    sidecars: { ...count, description: "Reporting sidecars of the component whose numbers are summed." },
    requests: { ...count, description: 'Requests (or connections) finished, proxy-made answers included.' },
    errors: { ...count, description: 'Of those, answered 5xx by an endpoint or by the proxy.' },
    latency: {
      type: 'object',
      description: "Upstream latency over the sidecars' last report period; absent when nothing was timed.",
      required: ['count', 'meanMs', 'p50Ms', 'p99Ms'],
      properties: { count, meanMs: ms, p50Ms: ms, p99Ms: ms },
    },
    endpoints: { type: 'array', items: endpointTrafficSchema },
  },
} as const;
