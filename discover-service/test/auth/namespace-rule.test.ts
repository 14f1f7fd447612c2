import t from 'tap';
import { namespaceDecision, parseServiceAccountUser } from '../../src/auth/namespace-rule.js';

const review = (username: string) => ({ authenticated: true as const, username, groups: [], audiences: ['meshplug'] });

t.test('service account usernames', async (t) => {
  t.same(parseServiceAccountUser('system:serviceaccount:shop:web'), { namespace: 'shop', name: 'web' });
  for (const other of ['system:serviceaccount:shop', 'system:serviceaccount:shop:web:x', 'kubernetes-admin', 'system:node:n1', '']) {
    t.equal(parseServiceAccountUser(other), undefined, other);
  }
});

t.test("a pod token reads its own namespace only (Istio's rule)", async (t) => {
  t.same(namespaceDecision(review('system:serviceaccount:shop:web'), 'shop'), { allowed: true, serviceAccount: 'shop/web' });
  t.match(namespaceDecision(review('system:serviceaccount:shop:web'), 'bank'), {
    allowed: false,
    reason: 'ServiceAccount shop/web may read namespace shop only, not bank',
  });
  t.match(namespaceDecision(review('kubernetes-admin'), 'shop'), { allowed: false, reason: /kubernetes-admin is not a ServiceAccount/ });
});
