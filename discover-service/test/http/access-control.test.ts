import t, { type Test } from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { DiscoverClient, discoverOptionsFromEnv, isDiscoverHttpError, type MeshDocument, type ResourceSpec } from '@meshplug/plugin-api';
import { FakeApiServer } from '../../../test/fake-apiserver/index.js';
import { AccessControl } from '../../src/auth/access-control.js';
import { KubeTokenReviewer } from '../../src/auth/kube-token-reviewer.js';
import { meshContent } from './fake-view.js';
import { startServer, waitFor } from './helpers.js';

const spec: ResourceSpec = { base_ports: [], base_services: [], base_normal: { options: { LOG_LEVEL: 'info' } } };

/** discover-service with --auth tokenreview over a FakeView, reviewing tokens with the fake API server through client-node. */
async function setup(t: Test) {
  const fake = await FakeApiServer.start({
    users: {
      'shop-token': { username: 'system:serviceaccount:shop:web' },
      'bank-token': { username: 'system:serviceaccount:bank:ledger' },
      'admin-token': { username: 'kubernetes-admin', groups: ['system:masters'] },
    },
  });
  t.teardown(() => fake.close());
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions(fake.kubeconfig());
  const access = new AccessControl({ reviewer: new KubeTokenReviewer({ kubeConfig }) });
  const { server, view, url } = await startServer(t, { access });
  view.setResources('shop', 'web', 'net-governance', spec);
  view.setResources('bank', 'ledger', 'net-governance', spec);
  view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  view.setMesh('bank', 'ledger', meshContent(['127.0.1.21']));
  return { fake, server, view, url, access };
}

async function errorOf(promise: Promise<unknown>): Promise<{ status: number; serverCode?: string | undefined }> {
  try {
    await promise;
  } catch (err) {
    if (isDiscoverHttpError(err)) return { status: err.status, serverCode: err.serverCode };
    throw err;
  }
  throw new Error('expected an error');
}

t.test("a pod token of shop reads shop's DISCOVER_URL and /v1/mesh through the SDK, which sends MESHPLUG_TOKEN_FILE", async (t) => {
  const { url, fake } = await setup(t);
  const dir = t.testdir({ token: 'shop-token\n' });
  // What an injected plugin container sees.
  const env = { DISCOVER_URL: `${url}/v1/resources/shop/web/net-governance`, MESHPLUG_TOKEN_FILE: join(dir, 'token') };
  const client = new DiscoverClient(discoverOptionsFromEnv(env));
  t.same(await client.resources('shop', 'web', 'net-governance'), spec);
  const mesh = await client.get<MeshDocument>('/v1/mesh/shop/web');
  t.equal(mesh.status, 200);
  t.equal(mesh.body?.namespace, 'shop');
  t.equal(fake.requestCount('review', 'tokenreviews'), 1, 'the second read was answered from the review cache');

  t.same(await errorOf(client.resources('bank', 'ledger', 'net-governance')), { status: 403, serverCode: 'DISC_ERR_FORBIDDEN' });
  t.same(await errorOf(client.get('/v1/mesh/bank/ledger')), { status: 403, serverCode: 'DISC_ERR_FORBIDDEN' });

  writeFileSync(join(dir, 'token'), 'bank-token');
  t.same(await errorOf(client.get('/v1/mesh/shop/web')), { status: 403, serverCode: 'DISC_ERR_FORBIDDEN' }, 'the rotated file is read per request');
});

t.test('no token, a bad token, a non-ServiceAccount user: 401/403 JSON, and nothing about the component leaks', async (t) => {
  const { url } = await setup(t);
  const none = await fetch(`${url}/v1/mesh/shop/web`);
  t.equal(none.status, 401);
  t.equal(none.headers.get('www-authenticate'), 'Bearer realm="meshplug"');
  t.match(await none.json(), { code: 'DISC_ERR_UNAUTHENTICATED', message: /no Authorization header/ });

  const bad = await fetch(`${url}/v1/resources/shop/web/net-governance`, { headers: { authorization: 'Bearer forged' } });
  t.equal(bad.status, 401);
  t.match(await bad.json(), { code: 'DISC_ERR_UNAUTHENTICATED', message: /invalid bearer token/ });

  const unknown = await fetch(`${url}/v1/mesh/shop/nope`, { headers: { authorization: 'Bearer forged' } });
  t.equal(unknown.status, 401, 'an unknown component answers 401 too, not 404');

  const admin = await fetch(`${url}/v1/mesh/shop/web`, { headers: { authorization: 'Bearer admin-token' } });
  t.equal(admin.status, 403);
  t.match(await admin.json(), { code: 'DISC_ERR_FORBIDDEN', message: /kubernetes-admin is not a ServiceAccount/ });

  const own404 = await fetch(`${url}/v1/mesh/shop/nope`, { headers: { authorization: 'Bearer shop-token' } });
  t.equal(own404.status, 404, 'inside its namespace a pod gets the usual 404');
});

t.test('long polls work with a token; probes and the ops API stay open', async (t) => {
  const { url, view, server } = await setup(t);
  const client = new DiscoverClient({ baseUrl: url, token: 'shop-token', waitSeconds: 30 });
  const first = await client.get<MeshDocument>('/v1/mesh/shop/web');
  const held = client.get<MeshDocument>('/v1/mesh/shop/web', { etag: first.etag! });
  await waitFor(() => server.hub.size === 1, 'the poll to be held');
  const next = view.setMesh('shop', 'web', meshContent(['127.0.1.11', '127.0.1.12']));
  const changed = await held;
  t.equal(changed.etag, next);
  for (const path of ['/healthz', '/readyz', '/v1/routes', '/v1/proxies', '/metrics']) {
    t.equal((await fetch(url + path)).status, 200, `${path} needs no token`);
  }
});

t.test('an API server that cannot review answers 503 with Retry-After; decisions are counted', async (t) => {
  const { url, fake } = await setup(t);
  await fetch(`${url}/v1/mesh/shop/web`, { headers: { authorization: 'Bearer shop-token' } });
  await fetch(`${url}/v1/mesh/bank/ledger`, { headers: { authorization: 'Bearer shop-token' } });
  await fetch(`${url}/v1/mesh/shop/web`);
  await fake.close();
  const down = await fetch(`${url}/v1/mesh/bank/ledger`, { headers: { authorization: 'Bearer bank-token' } });
  t.equal(down.status, 503);
  t.equal(down.headers.get('retry-after'), '1');
  t.match(await down.json(), { code: 'DISC_ERR_AUTH_UNAVAILABLE', message: /TokenReview/ });
  const metrics = await (await fetch(`${url}/metrics`)).text();
  for (const decision of ['allowed', 'forbidden', 'unauthenticated', 'unavailable']) {
    t.match(metrics, new RegExp(`meshplug_access_decisions_total\\{decision="${decision}"\\} 1\\b`), decision);
  }
});

t.test('without access control nothing changes: config reads need no token', async (t) => {
  const { view, url } = await startServer(t);
  view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  t.equal((await fetch(`${url}/v1/mesh/shop/web`)).status, 200);
});
