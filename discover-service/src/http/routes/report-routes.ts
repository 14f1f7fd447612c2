import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ProxyReport } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../../errors.js';
import { aggregateTraffic } from '../../proxies/traffic-stats.js';
import { accessHook } from '../access-hook.js';
import { proxyIdentity } from '../proxy-identity.js';
import type { ServerContext } from '../server-context.js';
import { listOf } from '../schemas/ops-schemas.js';
import { reportBodySchema, reportHeadersSchema, reportResponses, routeTrafficSchema } from '../schemas/stats-schemas.js';

/** Largest report body accepted: a sidecar with a few thousand endpoints fits. */
export const REPORT_BODY_LIMIT = 1024 * 1024;

const nameQuery = { type: 'string', minLength: 1, maxLength: 253 } as const;

/**
 * `POST /v1/proxies/report`: sidecars send their traffic numbers here every report period, named by
 * the headers of their `/v1/mesh` polls. Served with the config routes, on the listener sidecars
 * reach, and under the same access control (the token must be of the report's namespace).
 */
export function reportRoutes(ctx: ServerContext) {
  return async function register(app: FastifyInstance): Promise<void> {
    const access = ctx.options.access;
    app.post<{ Body: ProxyReport }>(
      '/v1/proxies/report',
      {
        bodyLimit: REPORT_BODY_LIMIT,
        schema: {
          summary: "A sidecar's traffic per outbound cluster and endpoint, sent every report period",
          tags: ['config'],
          headers: reportHeadersSchema,
          body: reportBodySchema,
          response: reportResponses,
        },
        // After validation: the namespace to authorize is in the body.
        ...(access === undefined ? {} : { preHandler: accessHook(access, ctx.metrics, (request: FastifyRequest) => (request.body as ProxyReport).namespace) }),
      },
      async (request, reply) => {
        const report = request.body;
        const identity = proxyIdentity(request, report.namespace, report.service);
        if (identity === undefined) throw new DiscoverErrors.DISC_ERR_BAD_REQUEST('a report needs the x-meshplug-proxy-id and x-meshplug-proxy-kind headers');
        ctx.proxies.report(identity, report);
        return reply.code(204).send();
      },
    );
  };
}

/** `GET /v1/stats`: the reports summed per component -> dependency port, for people and the dashboard. */
export function statsRoutes(ctx: ServerContext) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { namespace?: string; service?: string } }>(
      '/v1/stats',
      {
        schema: {
          summary: 'Traffic per component -> dependency port -> endpoint, summed over the sidecars that report it',
          tags: ['ops'],
          querystring: { type: 'object', properties: { namespace: nameQuery, service: nameQuery } },
          response: { 200: listOf('RouteTrafficList', routeTrafficSchema), 400: reportResponses[400] },
        },
      },
      async (request) => {
        const { namespace, service } = request.query;
        return { items: aggregateTraffic(ctx.proxies.reports(), { ...(namespace ? { namespace } : {}), ...(service ? { service } : {}) }) };
      },
    );
  };
}
