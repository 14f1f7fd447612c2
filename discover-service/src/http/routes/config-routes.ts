import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DiscoverErrors } from '../../errors.js';
import type { Lookup } from '../../state/mesh-view.js';
import type { ServerContext } from '../server-context.js';
import type { DocumentKind } from '../server-metrics.js';
import { etagMatches, formatEtag, parseIfNoneMatch } from '../etag.js';
import { proxyIdentity } from '../proxy-identity.js';
import { accessHook } from '../access-hook.js';
import {
  longPollQuerySchema,
  meshParamsSchema,
  meshResponses,
  resourceParamsSchema,
  resourceResponses,
  sidecarHeadersSchema,
} from '../schemas/config-schemas.js';

interface LongPollQuery {
  wait?: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The versioned documents: DISCOVER_URL (`/v1/resources`) and the sidecar
 * config (`/v1/mesh`), with ETag, If-None-Match and `?wait=` long polls.
 */
export function configRoutes(ctx: ServerContext) {
  const { view } = ctx.options;
  // A document is serialized once per version, however many pollers it wakes.
  const serialized = new WeakMap<object, string>();

  function send(reply: FastifyReply, kind: DocumentKind, what: string, lookup: Lookup<object>): FastifyReply {
    if (!lookup.ok) {
      return reply.code(404).type(JSON_TYPE).send({ code: lookup.code, message: `no ${kind} document for ${what}`, reason: lookup.reason });
    }
    let body = serialized.get(lookup.value);
    if (body === undefined) {
      body = JSON.stringify(lookup.value);
      serialized.set(lookup.value, body);
    }
    return reply.code(200).header('etag', formatEtag(lookup.version)).header('cache-control', 'no-cache').type(JSON_TYPE).send(body);
  }

  async function serveVersioned(
    request: FastifyRequest<{ Querystring: LongPollQuery }>,
    reply: FastifyReply,
    kind: DocumentKind,
    what: string,
    lookup: () => Lookup<object>,
  ): Promise<FastifyReply> {
    if (!view.isReady()) {
      // Documents built from half-listed sources would tell sidecars that endpoints are gone.
      const error = new DiscoverErrors.DISC_ERR_NOT_READY(what);
      return reply
        .code(error.statusCode)
        .header('retry-after', '1')
        .type(JSON_TYPE)
        .send({ ...error.toJSON(), reason: 'discover-service has not finished loading its sources; retry shortly' });
    }
    const held = parseIfNoneMatch(request.headers['if-none-match']);
    const current = lookup();
    if (!current.ok || !etagMatches(held, current.version)) {
      if (current.ok && held.length > 0) ctx.metrics.countPush(kind, 'immediate');
      return send(reply, kind, what, current);
    }
    const waitMs = Math.min(request.query.wait ?? 0, ctx.options.maxWaitSeconds) * 1000;
    const notModified = (): FastifyReply => reply.code(304).header('etag', formatEtag(current.version)).send();
    if (waitMs <= 0) return notModified();
    const gone = new AbortController();
    reply.raw.once('close', () => gone.abort());
    const outcome = await ctx.hub.wait(`${kind}\u0000${what}`, lookup, held, waitMs, gone.signal);
    if (outcome === undefined) return notModified();
    if (outcome.ok) ctx.metrics.countPush(kind, 'change');
    return send(reply, kind, what, outcome);
  }

  return async function register(app: FastifyInstance): Promise<void> {
    // Scoped to this plugin: only the config documents need a token.
    if (ctx.options.access) app.addHook('onRequest', accessHook(ctx.options.access, ctx.metrics));
    app.get<{ Params: { ns: string; service: string; plugin: string }; Querystring: LongPollQuery }>(
      '/v1/resources/:ns/:service/:plugin',
      {
        schema: {
          summary: "One plugin's config on one component (DISCOVER_URL, Rainbond ResourceSpec)",
          tags: ['config'],
          params: resourceParamsSchema,
          querystring: longPollQuerySchema,
          headers: sidecarHeadersSchema,
          response: resourceResponses,
        },
      },
      (request, reply) => {
        const { ns, service, plugin } = request.params;
        return serveVersioned(request, reply, 'resources', `${ns}/${service}/${plugin}`, () => view.resources(ns, service, plugin));
      },
    );

    app.get<{ Params: { ns: string; service: string }; Querystring: LongPollQuery }>(
      '/v1/mesh/:ns/:service',
      {
        schema: {
          summary: 'The sidecar config of one component (mesh-proxy and dns-shim)',
          tags: ['config'],
          params: meshParamsSchema,
          querystring: longPollQuerySchema,
          headers: sidecarHeadersSchema,
          response: meshResponses,
        },
      },
      (request, reply) => {
        const { ns, service } = request.params;
        const identity = proxyIdentity(request, ns, service);
        const release = identity === undefined ? undefined : ctx.proxies.pollStarted(identity);
        // The registry tracks the whole poll, immediate answers included, so lastSeen is current.
        return serveVersioned(request, reply, 'mesh', `${ns}/${service}`, () => view.mesh(ns, service)).finally(() => release?.());
      },
    );
  };
}
