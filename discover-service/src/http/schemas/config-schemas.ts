import { meshDocumentSchema, resourceSpecSchema } from '@meshplug/plugin-api';
import { errorBodySchema } from './ops-schemas.js';

/** Kubernetes names in paths: a DNS-1123 label (namespace, Service) or plugin name. */
const nameParam = { type: 'string', minLength: 1, maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' } as const;

export const meshParamsSchema = {
  type: 'object',
  required: ['ns', 'service'],
  properties: { ns: nameParam, service: nameParam },
} as const;

export const resourceParamsSchema = {
  type: 'object',
  required: ['ns', 'service', 'plugin'],
  properties: { ns: nameParam, service: nameParam, plugin: nameParam },
} as const;

export const longPollQuerySchema = {
  type: 'object',
  properties: {
    wait: {
      type: 'number',
      minimum: 0,
      description:
        'With If-None-Match: hold the request up to this many seconds (at most 60; longer waits are shortened) ' +
        'until the version changes; 304 when it does not.',
    },
  },
} as const;

export const sidecarHeadersSchema = {
  type: 'object',
  properties: {
    'if-none-match': { type: 'string', description: 'The version the caller has, quoted as in the ETag.' },
    'x-meshplug-proxy-id': { type: 'string', description: 'Pod or host name of the polling sidecar.' },
    'x-meshplug-proxy-kind': { type: 'string', enum: ['mesh-proxy', 'dns-shim'] },
    'x-meshplug-applied-version': { type: 'string', description: 'The version the sidecar has applied.' },
    authorization: {
      type: 'string',
      description: "With `serve --auth tokenreview`: `Bearer <the pod's projected ServiceAccount token, audience meshplug>`.",
    },
  },
} as const;

const etagHeader = { etag: { type: 'string', description: 'The config version, quoted.' } } as const;

function versionedResponses<S extends object>(body: S) {
  return {
    200: { ...body, description: 'The current document', headers: etagHeader },
    304: { description: 'Unchanged: the version in If-None-Match is still current', headers: etagHeader, type: 'null' },
    400: { description: 'Malformed request', ...errorBodySchema },
    401: { description: 'With --auth tokenreview: no token, or one the cluster does not accept for audience meshplug', ...errorBodySchema },
    403: { description: "With --auth tokenreview: the token's ServiceAccount is of another namespace", ...errorBodySchema },
    404: { description: 'No such namespace, service or plugin', ...errorBodySchema },
    503: { description: 'Sources not loaded yet, or the token cannot be reviewed now (Retry-After)', ...errorBodySchema },
  } as const;
}

export const resourceResponses = versionedResponses(resourceSpecSchema);
export const meshResponses = versionedResponses(meshDocumentSchema);
