import { errorBodySchema } from './ops-schemas.js';

const version = (description: string) => ({ type: 'string', description }) as const;

export const stateSnapshotSchema = {
  type: 'object',
  title: 'StateSnapshot',
  required: ['version', 'mesh', 'proxies'],
  properties: {
    version: version('Changes whenever mesh or proxies does; also the ETag.'),
    mesh: version('Content version of /v1/routes, /v1/services, /v1/components, /v1/plugins, /v1/errors and readiness.'),
    proxies: version('Content version of /v1/proxies (not counting lastSeen and lastReport) and of /v1/stats (moves at most once per report period).'),
  },
} as const;

const etagHeader = { etag: { type: 'string', description: 'The state version, quoted.' } } as const;

export const stateResponses = {
  200: { ...stateSnapshotSchema, description: 'The current versions', headers: etagHeader },
  304: { description: 'Unchanged: the version in If-None-Match is still current', headers: etagHeader, type: 'null' },
  400: { description: 'Malformed request', ...errorBodySchema },
} as const;
