import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../server-context.js';
import { etagMatches, formatEtag, parseIfNoneMatch } from '../etag.js';
import { LongPollHub } from '../long-poll-hub.js';
import { StateVersion, STATE_SETTLE_MS } from '../state-version.js';
import { longPollQuerySchema } from '../schemas/config-schemas.js';
import { stateResponses } from '../schemas/state-schemas.js';

const STATE_KEY = 'state';

/**
 * `GET /v1/state`: one long-pollable version over everything the ops lists show,
 * so a watcher (the dashboard, a script) re-reads the lists only when they changed.
 * Same rules as `/v1/mesh`: ETag, If-None-Match, `?wait=` up to the server's maximum.
 */
export function stateRoutes(ctx: ServerContext) {
  return async function register(app: FastifyInstance): Promise<void> {
    const state = new StateVersion({
      view: ctx.options.view,
      proxies: ctx.proxies,
      timers: ctx.options.timers,
      settleMs: STATE_SETTLE_MS,
    });
    const hub = new LongPollHub(state, ctx.options.timers);
    // Held polls would keep close() waiting: answer them with the others.
    app.addHook('preClose', async () => {
      hub.close();
      state.close();
    });

    app.get<{ Querystring: { wait?: number } }>(
      '/v1/state',
      {
        schema: {
          summary: 'Versions of the ops lists, for watchers: long-poll it, re-read a list when its version changes',
          tags: ['ops'],
          querystring: longPollQuerySchema,
          headers: {
            type: 'object',
            properties: { 'if-none-match': { type: 'string', description: 'The version the caller has, quoted as in the ETag.' } },
          },
          response: stateResponses,
        },
      },
      async (request, reply) => {
        const held = parseIfNoneMatch(request.headers['if-none-match']);
        const send = (value: { version: string }) =>
          reply.code(200).header('etag', formatEtag(value.version)).header('cache-control', 'no-cache').send(value);
        const current = state.current();
        if (!etagMatches(held, current.version)) return send(current);
        const waitMs = Math.min(request.query.wait ?? 0, ctx.options.maxWaitSeconds) * 1000;
        const notModified = () => reply.code(304).header('etag', formatEtag(current.version)).header('cache-control', 'no-cache').send();
        if (waitMs <= 0) return notModified();
        const gone = new AbortController();
        reply.raw.once('close', () => gone.abort());
        const outcome = await hub.wait(STATE_KEY, () => state.lookup(), held, waitMs, gone.signal);
        return outcome?.ok === true ? send(outcome.value) : notModified();
      },
    );
  };
}
