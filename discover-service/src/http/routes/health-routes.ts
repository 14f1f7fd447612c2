import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../server-context.js';
import { healthSchema } from '../schemas/ops-schemas.js';

/** `/healthz` and `/readyz`: served on every listener, so probes work whichever port they use. */
export function healthRoutes(ctx: ServerContext) {
  const { view } = ctx.options;
  return async function register(app: FastifyInstance): Promise<void> {
    app.get('/healthz', {
      schema: { summary: 'The process is up', tags: ['health'], response: { 200: healthSchema } },
    }, async () => ({ status: 'ok' }));

    app.get('/readyz', {
      schema: {
        summary: 'Every source has delivered its first full list',
        tags: ['health'],
        response: { 200: healthSchema, 503: healthSchema },
      },
    }, async (_request, reply) => (view.isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'not ready' })));
  };
}
