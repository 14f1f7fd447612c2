import t, { type Test } from 'tap';
import { createServer, type Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { FakeApiServer } from '../../../test/fake-apiserver/index.js';
import { kubeconfigOptions } from '../../../test/fake-apiserver/kubeconfig.js';
import { CachingTokenReviewer } from '../../src/auth/caching-token-reviewer.js';
import { interpretTokenReview, KubeTokenReviewer } from '../../src/auth/kube-token-reviewer.js';
import { tokenReviewerConformance } from './token-reviewer-conformance.js';

const SHOP_USER = { username: 'system:serviceaccount:shop:web', uid: 'uid-web', groups: ['system:serviceaccounts', 'system:serviceaccounts:shop'] };

async function fakeCluster(t: Test) {
  const fake = await FakeApiServer.start({ users: { 'shop-token': SHOP_USER } });
  t.teardown(() => fake.close());
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions(fake.kubeconfig());
  return { fake, kubeConfig };
}

t.test('conformance: KubeTokenReviewer against the fake API server, through client-node', async (t) => {
  const { fake, kubeConfig } = await fakeCluster(t);
  await tokenReviewerConformance(t, new KubeTokenReviewer({ kubeConfig }));
  t.equal(fake.requestCount('review', 'tokenreviews'), 4, 'one TokenReview per call');
});

t.test('conformance: CachingTokenReviewer over it', async (t) => {
  const { fake, kubeConfig } = await fakeCluster(t);
  const cache = new CachingTokenReviewer(new KubeTokenReviewer({ kubeConfig }), {
    positiveTtlMs: 60_000,
    negativeTtlMs: 5_000,
    maxCachedTokens: 100,
    clock: () => 0,
  });
  await tokenReviewerConformance(t, cache);
  t.equal(fake.requestCount('review', 'tokenreviews'), 3, 'the repeated good token was not reviewed again');
});

t.test('a review the API server refuses or cannot answer is DISC_ERR_AUTH_UNAVAILABLE, never a decision', async (t) => {
  const { fake } = await fakeCluster(t);
  const wrongCredentials = new KubeConfig();
  wrongCredentials.loadFromOptions(kubeconfigOptions(fake.url, 'not-the-admin-token'));
  await t.rejects(new KubeTokenReviewer({ kubeConfig: wrongCredentials }).review('shop-token'), {
    code: 'DISC_ERR_AUTH_UNAVAILABLE',
    message: /TokenReview: HTTP 401/,
  });

  // A server that accepts the connection and never answers: the review gives up after timeoutMs.
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.teardown(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  const { port } = silent.address() as { port: number };
  const hanging = new KubeConfig();
  hanging.loadFromOptions(kubeconfigOptions(`http://127.0.0.1:${port}`, 'x'));
  await t.rejects(new KubeTokenReviewer({ kubeConfig: hanging, timeoutMs: 100 }).review('shop-token'), {
    code: 'DISC_ERR_AUTH_UNAVAILABLE',
    message: /no answer in 100 ms/,
  });
});

t.test('the meshplug audience must come back in status.audiences', async (t) => {
  const user = { username: 'system:serviceaccount:shop:web' };
  t.match(interpretTokenReview({ authenticated: true, user, audiences: ['meshplug'] }, 'meshplug'), { authenticated: true, groups: [] });
  t.match(interpretTokenReview({ authenticated: true, user }, 'meshplug'), {
    authenticated: false,
    reason: 'the token is not for audience "meshplug" (valid for: the API server)',
  });
  t.match(interpretTokenReview({ authenticated: true, user, audiences: ['vault'] }, 'meshplug'), { authenticated: false, reason: /valid for: vault/ });
  t.match(interpretTokenReview({ authenticated: true, audiences: ['meshplug'] }, 'meshplug'), { authenticated: false, reason: /no user/ });
  t.match(interpretTokenReview({ error: 'token expired' }, 'meshplug'), { authenticated: false, reason: 'token expired' });
  t.match(interpretTokenReview(undefined, 'meshplug'), { authenticated: false });
  t.throws(() => new KubeTokenReviewer({ kubeConfig: new KubeConfig(), audience: '' }), { code: 'DISC_ERR_INVALID_AUTH_OPTIONS' });
});
