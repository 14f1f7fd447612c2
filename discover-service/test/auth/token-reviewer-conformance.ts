import type { Test } from 'tap';
import type { TokenReviewer } from '../../src/auth/token-reviewer.js';

/**
 * What every TokenReviewer must do, given one that knows `shop-token` as the ServiceAccount
 * shop/web: name the user and the meshplug audience for it, and refuse any other token
 * with a reason (resolving, not rejecting: a refusal is an answer).
 */
export async function tokenReviewerConformance(t: Test, reviewer: TokenReviewer): Promise<void> {
  const good = await reviewer.review('shop-token');
  t.match(good, { authenticated: true, username: 'system:serviceaccount:shop:web' }, 'a known token names its user');
  if (good.authenticated) {
    t.ok(good.audiences.includes('meshplug'), 'and the meshplug audience');
    t.ok(Array.isArray(good.groups));
  }
  const again = await reviewer.review('shop-token');
  t.same(again, good, 'the same answer twice');
  for (const token of ['no-such-token', 'x'.repeat(2048)]) {
    const bad = await reviewer.review(token);
    t.equal(bad.authenticated, false, 'an unknown token is refused');
    if (!bad.authenticated) t.ok(bad.reason.length > 0, 'with a reason');
  }
}
