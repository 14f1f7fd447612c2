import { dnsLabelSchema, portSchema } from './common.js';

/*
 * `POST /v1/proxies/report` bodies (model/proxy-report.ts). Unlisted keys are allowed so a newer
 * sidecar can report to an older discover-service; the bounds keep one report small.
 */

/** Most outbound clusters in one report. */
export const MAX_REPORT_CLUSTERS = 512;
/** Most endpoints of one cluster in one report. */
export const MAX_REPORT_ENDPOINTS = 2048;
/** Most latency buckets. */
export const MAX_REPORT_BUCKETS = 64;

const count = { type: 'integer', minimum: 0 } as const;

export const endpointReportSchema = {
  type: 'object',
  required: ['address', 'port', 'requests', 'errors', 'active', 'ejected', 'ejections'],
  properties: {
    address: { type: 'string', minLength: 1, maxLength: 64 },
    port: portSchema,
    requests: count,
    errors: count,
    active: count,
    ejected: { type: 'boolean' },
    ejections: count,
  },
} as const;

export const clusterReportSchema = {
  type: 'object',
  required: ['dependency', 'port', 'requests', 'errors', 'latencyCounts', 'latencySumMs', 'endpoints'],
  properties: {
    dependency: { type: 'string', minLength: 3, maxLength: 127, pattern: '^[a-z0-9][-a-z0-9]*/[a-z0-9][-a-z0-9]*$' },
    port: portSchema,
    requests: count,
    errors: count,
    latencyCounts: { type: 'array', maxItems: MAX_REPORT_BUCKETS + 1, items: count },
    latencySumMs: { type: 'number', minimum: 0 },
    endpoints: { type: 'array', maxItems: MAX_REPORT_ENDPOINTS, items: endpointReportSchema },
  },
} as const;

export const proxyReportSchema = {
  type: 'object',
  title: 'ProxyReport',
  required: ['namespace', 'service', 'intervalSeconds', 'latencyBoundsMs', 'clusters'],
  properties: {
    namespace: dnsLabelSchema,
    service: dnsLabelSchema,
    intervalSeconds: { type: 'integer', minimum: 1, maximum: 3600 },
    latencyBoundsMs: { type: 'array', maxItems: MAX_REPORT_BUCKETS, items: { type: 'number', exclusiveMinimum: 0 } },
    clusters: { type: 'array', maxItems: MAX_REPORT_CLUSTERS, items: clusterReportSchema },
  },
} as const;
