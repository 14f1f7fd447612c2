import t from 'tap';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { FakeApiServer } from './fake-apiserver.js';
import { call, configMap, service } from './test-client.js';

t.test('create/get/update/delete set uid, creationTimestamp and a global increasing resourceVersion', async (t) => {
  const fake = await FakeApiServer.start();
  t.teardown(() => fake.close());
  const created = await call(fake, 'POST', '/api/v1/namespaces/shop/services', service('shop', 'web'));
  t.equal(created.status, 201);
  t.match(created.body, { kind: 'Service', apiVersion: 'v1', metadata: { name: 'web', namespace: 'shop' } });
  t.match(created.body.metadata.uid, /^[0-9a-f-]{36}$/);
  t.match(created.body.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  t.match(created.body.spec.clusterIP, /^10\.96\./);
  const cm = await call(fake, 'POST', '/api/v1/namespaces/shop/configmaps', configMap('shop', 'c'));
  t.ok(Number(cm.body.metadata.resourceVersion) > Number(created.body.metadata.resourceVersion), 'one global counter');

  const got = await call(fake, 'GET', '/api/v1/namespaces/shop/services/web');
  t.same(got.body, created.body);
  const again = await call(fake, 'POST', '/api/v1/namespaces/shop/services', service('shop', 'web'));
  t.match(again, { status: 409, body: { kind: 'Status', reason: 'AlreadyExists', code: 409 } });

  const changed = { ...created.body, metadata: { ...created.body.metadata, labels: { a: 'b' } } };
  const updated = await call(fake, 'PUT', '/api/v1/namespaces/shop/services/web', changed);
  t.equal(updated.status, 200);
  t.equal(updated.body.metadata.uid, created.body.metadata.uid);
  t.equal(updated.body.metadata.creationTimestamp, created.body.metadata.creationTimestamp);
  t.ok(Number(updated.body.metadata.resourceVersion) > Number(cm.body.metadata.resourceVersion));
  const stale = await call(fake, 'PUT', '/api/v1/namespaces/shop/services/web', changed);
  t.match(stale, { status: 409, body: { reason: 'Conflict' } }, 'a stale resourceVersion is a conflict');

  const deleted = await call(fake, 'DELETE', '/api/v1/namespaces/shop/services/web');
  t.equal(deleted.status, 200);
  t.same(deleted.body.metadata.labels, { a: 'b' });
  t.match(await call(fake, 'GET', '/api/v1/namespaces/shop/services/web'), {
    status: 404,
    body: { kind: 'Status', reason: 'NotFound', message: 'services "web" not found', code: 404 },
  });
  t.match(await call(fake, 'PUT', '/api/v1/namespaces/shop/services/nope', service('shop', 'nope')), { status: 404 });
  t.match(await call(fake, 'POST', '/api/v1/namespaces/other/services', service('shop', 'x')), { status: 400, body: { reason: 'BadRequest' } });
  t.match(await call(fake, 'GET', '/api/v1/pods'), { status: 404 });
});

t.test('lists: cluster-wide and namespaced, items without kind, list resourceVersion', async (t) => {
  const fake = await FakeApiServer.start();
  t.teardown(() => fake.close());
  fake.apply(service('a', 's1'));
  fake.apply(service('b', 's2'));
  fake.apply({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 's1-abc', namespace: 'a', labels: { 'kubernetes.io/service-name': 's1' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['127.0.1.1'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 80 }],
  });
  const all = await call(fake, 'GET', '/api/v1/services');
  t.equal(all.body.kind, 'ServiceList');
  t.equal(all.body.apiVersion, 'v1');
  t.equal(all.body.metadata.resourceVersion, String(fake.store.currentRv()));
  t.same(all.body.items.map((i: any) => i.metadata.name), ['s1', 's2']);
  t.notOk('kind' in all.body.items[0], 'items carry no kind, as the real server');
  const ns = await call(fake, 'GET', '/api/v1/namespaces/b/services');
  t.same(ns.body.items.map((i: any) => i.metadata.name), ['s2']);
  const slices = await call(fake, 'GET', '/apis/discovery.k8s.io/v1/endpointslices');
  t.match(slices.body, { kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1', items: [{ metadata: { name: 's1-abc' } }] });
  t.match(await call(fake, 'GET', `/api/v1/services?resourceVersion=${fake.store.currentRv() + 5}`), { status: 504 });
  t.match(await call(fake, 'GET', `/api/v1/services?resourceVersion=1&resourceVersionMatch=Exact`), { status: 410, body: { reason: 'Expired' } });
  t.equal(fake.requestCount('list', 'services'), 4);
  t.equal(fake.requestCount('list', 'endpointslices'), 1);
});

t.test('immutable ConfigMaps refuse data changes with 422 but accept label changes', async (t) => {
  const fake = await FakeApiServer.start();
  t.teardown(() => fake.close());
  const created = fake.apply(configMap('p', 'plugin-1', { 'mesh.io/plugin': 'x' }, { 'plugin.yaml': 'a' }, true));
  const changed = await call(fake, 'PUT', '/api/v1/namespaces/p/configmaps/plugin-1', { ...created, data: { 'plugin.yaml': 'b' } });
  t.match(changed, { status: 422, body: { reason: 'Invalid', code: 422 } });
  t.match(changed.body.message, /field is immutable when `immutable` is set/);
  const unfreeze = await call(fake, 'PUT', '/api/v1/namespaces/p/configmaps/plugin-1', { ...created, immutable: false });
  t.equal(unfreeze.status, 422);
  const relabel = await call(fake, 'PUT', '/api/v1/namespaces/p/configmaps/plugin-1', {
    ...created,
    metadata: { ...created.metadata, labels: { 'mesh.io/plugin': 'x', extra: 'y' } },
  });
  t.equal(relabel.status, 200);
});

t.test('authentication: requests without the token get 401; TokenReview maps tokens to users', async (t) => {
  const fake = await FakeApiServer.start({ users: { 'tok-1': { username: 'system:serviceaccount:shop:web', uid: 'u1', groups: ['system:serviceaccounts'] } } });
  t.teardown(() => fake.close());
  t.match(await call(fake, 'GET', '/api/v1/services', undefined, 'wrong'), { status: 401, body: { reason: 'Unauthorized' } });
  const review = (token: string) =>
    call(fake, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
  const ok = await review('tok-1');
  t.equal(ok.status, 201);
  t.same(ok.body.status, { authenticated: true, user: { username: 'system:serviceaccount:shop:web', uid: 'u1', groups: ['system:serviceaccounts'] } });
  const bad = await review('tok-2');
  t.notOk(bad.body.status.authenticated);
  t.same(bad.body.status.user, {});
  fake.setTokenUser('tok-2', { username: 'bob' });
  t.match((await review('tok-2')).body.status, { authenticated: true, user: { username: 'bob' } });
  t.equal(fake.requestCount('review', 'tokenreviews'), 3);
});

t.test('failRequests and holdLists', async (t) => {
  const fake = await FakeApiServer.start();
  t.teardown(() => fake.close());
  fake.failRequests({ verb: 'list', plural: 'services', code: 500, count: 2 });
  t.match(await call(fake, 'GET', '/api/v1/services'), { status: 500, body: { kind: 'Status', code: 500 } });
  t.equal((await call(fake, 'GET', '/api/v1/configmaps')).status, 200, 'other resources unaffected');
  t.equal((await call(fake, 'GET', '/api/v1/services')).status, 500);
  t.equal((await call(fake, 'GET', '/api/v1/services')).status, 200, 'count used up');
  const release = fake.holdLists();
  let answered = false;
  const pending = call(fake, 'GET', '/api/v1/services').then((r) => {
    answered = true;
    return r;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.notOk(answered, 'held');
  release();
  t.equal((await pending).status, 200);
});

t.test('kubeconfig() and kubeconfigYaml() load into the unmodified client library', async (t) => {
  const fake = await FakeApiServer.start();
  t.teardown(() => fake.close());
  fake.apply(service('shop', 'web'));
  for (const load of [(kc: KubeConfig) => kc.loadFromOptions(fake.kubeconfig()), (kc: KubeConfig) => kc.loadFromString(fake.kubeconfigYaml())]) {
    const kc = new KubeConfig();
    load(kc);
    const list = await kc.makeApiClient(CoreV1Api).listNamespacedService({ namespace: 'shop' });
    t.same(list.items.map((s) => s.metadata?.name), ['web']);
  }
});
