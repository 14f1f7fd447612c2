import t from 'tap';
import { AccessControl, bearerToken } from '../../src/auth/access-control.js';
import type { TokenReview, TokenReviewer } from '../../src/auth/token-reviewer.js';
import { DiscoverErrors } from '../../src/errors.js';

const reviewer: TokenReviewer = {
  async review(token: string): Promise<TokenReview> {
    if (token === 'shop-token') return { authenticated: true, username: 'system:serviceaccount:shop:web', groups: [], audiences: ['meshplug'] };
    if (token === 'admin-token') return { authenticated: true, username: 'kubernetes-admin', groups: ['system:masters'], audiences: ['meshplug'] };
    if (token === 'down') throw new DiscoverErrors.DISC_ERR_AUTH_UNAVAILABLE('api server down');
    return { authenticated: false, reason: 'invalid bearer token' };
  },
};

t.test('bearer tokens', async (t) => {
  t.equal(bearerToken('Bearer abc.def'), 'abc.def');
  t.equal(bearerToken('bearer   abc'), 'abc', 'the scheme is case-insensitive');
  for (const bad of [undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcg==', 'Bearer a b', 'abc']) t.equal(bearerToken(bad), undefined, String(bad));
});

t.test('decisions: allowed, 401, 403, 503', async (t) => {
  const access = new AccessControl({ reviewer });
  t.equal(await access.authorize('Bearer shop-token', 'shop'), 'shop/web');
  await t.rejects(access.authorize(undefined, 'shop'), { code: 'DISC_ERR_UNAUTHENTICATED', statusCode: 401, message: /no Authorization header/ });
  await t.rejects(access.authorize('Basic x', 'shop'), { code: 'DISC_ERR_UNAUTHENTICATED', message: /not "Bearer <token>"/ });
  await t.rejects(access.authorize('Bearer forged', 'shop'), { code: 'DISC_ERR_UNAUTHENTICATED', message: /invalid bearer token/ });
  await t.rejects(access.authorize('Bearer shop-token', 'bank'), { code: 'DISC_ERR_FORBIDDEN', statusCode: 403, message: /shop\/web may read namespace shop only, not bank/ });
  await t.rejects(access.authorize('Bearer admin-token', 'shop'), { code: 'DISC_ERR_FORBIDDEN', message: /not a ServiceAccount/ });
  await t.rejects(access.authorize('Bearer down', 'shop'), { code: 'DISC_ERR_AUTH_UNAVAILABLE', statusCode: 503 });
  t.equal(access.cachedReviews, 3, 'shop, forged and admin answers are cached; the failure is not');
});

t.test('options are validated once', async (t) => {
  const access = new AccessControl({ reviewer });
  t.match(access.options, { positiveTtlMs: 60_000, negativeTtlMs: 5_000, maxCachedTokens: 10_000 });
  t.ok(Object.isFrozen(access.options));
  t.throws(() => new AccessControl({ reviewer: {} as TokenReviewer, positiveTtlMs: -1, maxCachedTokens: 0 }), {
    code: 'DISC_ERR_INVALID_AUTH_OPTIONS',
    message: /reviewer: must be a TokenReviewer; positiveTtlMs -1: must be a number >= 0; maxCachedTokens 0/,
  });
});
