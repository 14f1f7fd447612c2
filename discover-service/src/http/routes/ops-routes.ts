import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../server-context.js';
import { DiscoverErrors } from '../../errors.js';
import {
  componentSummarySchema,
  configErrorSchema,
  errorBodySchema,
  listOf,
  pluginSummarySchema,
  proxyStatusSchema,
  routeRowSchema,
  serviceSummarySchema,
} from '../schemas/ops-schemas.js';

const nameQuery = { type: 'string', minLength: 1, maxLength: 253 } as const;

/** The ops API: read-only views of the resolved mesh for people and tools, metrics and the OpenAPI document. */
export function opsRoutes(ctx: ServerContext) {
  const { view } = ctx.options;
  const servedVersion = (namespace: string, service: string): string | undefined => {
    const lookup = view.mesh(namespace, service);
    return lookup.ok ? lookup.version : undefined;
  };

  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { namespace?: string; service?: string } }>(
      '/v1/routes',
      {
        schema: {
          summary: 'Component -> dependency port -> endpoints, as the sidecars would route',
          tags: ['ops'],
          querystring: {
            type: 'object',
            properties: { namespace: nameQuery, service: nameQuery },
          },
          response: { 200: listOf('Routes', routeRowSchema), 400: errorBodySchema },
        },
      },
      async (request) => {
        const { namespace, service } = request.query;
        return { items: view.routes({ ...(namespace ? { namespace } : {}), ...(service ? { service } : {}) }) };
      },
    );

    app.get('/v1/services', {
      schema: { summary: 'Every Service with its VIP, ports and endpoints', tags: ['ops'], response: { 200: listOf('Services', serviceSummarySchema) } },
    }, async () => ({ items: view.services() }));

    app.get<{ Params: { ns: string; name: string } }>(
      '/v1/services/:ns/:name',
      {
        schema: {
          summary: 'One Service with its VIP, ports and endpoints',
          tags: ['ops'],
          params: { type: 'object', required: ['ns', 'name'], properties: { ns: nameQuery, name: nameQuery } },
          response: { 200: serviceSummarySchema, 404: errorBodySchema },
        },
      },
      async (request, reply) => {
        const { ns, name } = request.params;
        const service = view.service(ns, name);
        if (service !== undefined) return service;
        const error = new DiscoverErrors.DISC_ERR_NOT_FOUND(`service ${ns}/${name}`);
        return reply.code(404).send({ ...error.toJSON(), reason: `no Service ${name} in namespace ${ns}` });
      },
    );

    app.get('/v1/plugins', {
      schema: { summary: 'Every published plugin version', tags: ['ops'], response: { 200: listOf('Plugins', pluginSummarySchema) } },
    }, async () => ({ items: view.plugins() }));

    app.get('/v1/components', {
      schema: { summary: 'Every component ConfigMap that was accepted', tags: ['ops'], response: { 200: listOf('Components', componentSummarySchema) } },
    }, async () => ({ items: view.components() }));

    app.get('/v1/errors', {
      schema: {
        summary: 'Rejected objects and source problems, with the exact path and reason',
        tags: ['ops'],
        response: { 200: listOf('ConfigErrors', configErrorSchema) },
      },
    }, async () => ({ items: view.errors() }));

    app.get('/v1/proxies', {
      schema: {
        summary: 'Sidecars seen polling /v1/mesh: config version served vs applied (like istioctl proxy-status)',
        tags: ['ops'],
        response: { 200: listOf('Proxies', proxyStatusSchema) },
      },
    }, async () => ({ items: ctx.proxies.list(servedVersion) }));

    app.get('/metrics', {
      schema: {
        summary: 'Prometheus metrics',
        tags: ['health'],
        response: { 200: { type: 'string', description: 'Prometheus text exposition format' } },
      },
    }, async (_request, reply) => {
      const text = await ctx.metrics.registry.metrics();
      return reply.type(ctx.metrics.registry.contentType).send(text);
    });

    app.get('/openapi.json', {
      schema: { summary: 'This document', tags: ['health'], response: { 200: { type: 'object', additionalProperties: true } } },
    }, async () => app.swagger());
  };
}
