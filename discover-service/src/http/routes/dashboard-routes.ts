import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DiscoverErrors } from '../../errors.js';
import { etagMatches, formatEtag, parseIfNoneMatch } from '../etag.js';
import { loadDashboardAssets, type DashboardAsset } from '../dashboard-assets.js';

/**
 * The page may load and fetch only from this server: no CDN, no inline script, no framing.
 * `data:` images are the page's favicon.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: DashboardAsset): FastifyReply {
  void reply
    .header('etag', formatEtag(asset.version))
    // Revalidate every time, so a rebuilt dashboard shows up on the next load.
    .header('cache-control', 'no-cache')
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff');
  if (etagMatches(parseIfNoneMatch(request.headers['if-none-match']), asset.version)) return reply.code(304).send();
  return reply.code(200).type(asset.contentType).send(asset.body);
}

/**
 * The ops dashboard: `GET /` is its page, `GET /dashboard/<file>` its scripts and styles,
 * read once from `dir` (default `discover-service/dashboard/`, built by `npm run build`).
 * The page itself reads only the documented JSON API.
 */
export function dashboardRoutes(dir?: string) {
  return async function register(app: FastifyInstance): Promise<void> {
    const assets = await loadDashboardAssets(dir);
    const hidden = { hide: true } as const;

    app.get('/', { schema: hidden }, async (request, reply) => {
      if (assets.index === undefined || !assets.built) {
        const error = new DiscoverErrors.DISC_ERR_DASHBOARD_NOT_BUILT();
        return reply.code(error.statusCode).send({ ...error.toJSON(), reason: 'run `npm run build` to compile discover-service/dashboard' });
      }
      return sendAsset(request, reply, assets.index);
    });

    app.get<{ Params: { file: string } }>('/dashboard/:file', { schema: hidden }, async (request, reply) => {
      const asset = assets.files.get(request.params.file);
      if (asset !== undefined) return sendAsset(request, reply, asset);
      const error = new DiscoverErrors.DISC_ERR_NOT_FOUND(`dashboard file ${request.params.file}`);
      return reply.code(error.statusCode).send(error.toJSON());
    });
  };
}
