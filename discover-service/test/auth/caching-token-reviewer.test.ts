import t from 'tap';
import { DiscoverErrors } from '../../src/errors.js';
import { CachingTokenReviewer } from '../../src/auth/caching-token-reviewer.js';
import type { TokenReview, TokenReviewer } from '../../src/auth/token-reviewer.js';

const SHOP: TokenReview = { authenticated: true, username: 'system:serviceaccount:shop:web', groups: [], audiences: ['meshplug'] };
const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Answers from a table, counting calls; `hold` keeps answers back until released. */
class CountingReviewer implements TokenReviewer {
  calls = 0;
  failing = false;
  private held: (() => void)[] | undefined;
  constructor(private readonly known: Record<string, TokenReview>) {}
  hold(): void {
    this.held = [];
  }
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const go of held) go();
  }
  async review(token: string): Promise<TokenReview> {
    this.calls++;
    if (this.held) await new Promise<void>((resolve) => this.held!.push(resolve));
    if (this.failing) throw new DiscoverErrors.DISC_ERR_AUTH_UNAVAILABLE('down');
    return this.known[token] ?? { authenticated: false, reason: 'unknown token' };
  }
}

function setup(known: Record<string, TokenReview> = { good: SHOP }) {
  let now = 1_000_000;
  const inner = new CountingReviewer(known);
  const cache = new CachingTokenReviewer(inner, { positiveTtlMs: 60_000, negativeTtlMs: 5_000, maxCachedTokens: 3, clock: () => now });
  return { inner, cache, advance: (ms: number) => (now += ms), now: () => now };
}

t.test('an accepted token is trusted for the positive TTL, then reviewed again', async (t) => {
  const { inner, cache, advance } = setup();
  t.same(await cache.review('good'), SHOP);
  advance(59_999);
  t.same(await cache.review('good'), SHOP);
  t.equal(inner.calls, 1, 'served from the cache');
  advance(1);
  await cache.review('good');
  t.equal(inner.calls, 2, 'expired: asked again');
});

t.test('a refused token is remembered for the shorter negative TTL', async (t) => {
  const { inner, cache, advance } = setup();
  t.match(await cache.review('bad'), { authenticated: false });
  advance(4_999);
  await cache.review('bad');
  t.equal(inner.calls, 1);
  advance(1);
  await cache.review('bad');
  t.equal(inner.calls, 2);
});

t.test("never trusted past the JWT's own exp", async (t) => {
  const { now } = setup();
  const expiresIn10s = `${part({ alg: 'none' })}.${part({ exp: (now() + 10_000) / 1000 })}.sig`;
  const expired = `${part({ alg: 'none' })}.${part({ exp: (now() - 1_000) / 1000 })}.sig`;
  const { inner, cache, advance } = setup({ [expiresIn10s]: SHOP, [expired]: SHOP });
  await cache.review(expiresIn10s);
  advance(9_999);
  await cache.review(expiresIn10s);
  t.equal(inner.calls, 1);
  advance(1);
  await cache.review(expiresIn10s);
  t.equal(inner.calls, 2, 'asked again at exp, well before the TTL');
  await cache.review(expired);
  await cache.review(expired);
  t.equal(inner.calls, 4, 'an already expired token is never cached');
});

t.test('a failed check is not cached and concurrent reviews share one request', async (t) => {
  const { inner, cache } = setup();
  inner.failing = true;
  await t.rejects(cache.review('good'), { code: 'DISC_ERR_AUTH_UNAVAILABLE' });
  inner.failing = false;
  t.same(await cache.review('good'), SHOP, 'the next call asks again');
  t.equal(inner.calls, 2);

  const fresh = setup();
  fresh.inner.hold();
  const all = Promise.all([fresh.cache.review('good'), fresh.cache.review('good'), fresh.cache.review('good')]);
  fresh.inner.release();
  t.same(await all, [SHOP, SHOP, SHOP]);
  t.equal(fresh.inner.calls, 1, 'one review for three concurrent requests');
});

t.test('bounded: past maxCachedTokens the oldest answer is forgotten', async (t) => {
  const { inner, cache } = setup({ a: SHOP, b: SHOP, c: SHOP, d: SHOP });
  for (const token of ['a', 'b', 'c', 'd']) await cache.review(token);
  t.equal(cache.size, 3);
  await cache.review('d');
  t.equal(inner.calls, 4, 'd is cached');
  await cache.review('a');
  t.equal(inner.calls, 5, 'a was evicted');
});
