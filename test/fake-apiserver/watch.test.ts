import t, { type Test } from 'tap';
import { FakeApiServer } from './fake-apiserver.js';
import { call, configMap, service, WatchReader } from './test-client.js';

async function started(t: Test): Promise<FakeApiServer> {
  const fake = await FakeApiServer.start();
  t.teardown(() => fake.close());
  return fake;
}

t.test('watch from a resourceVersion streams the events after it, as JSON lines', async (t) => {
  const fake = await started(t);
  fake.apply(service('shop', 'old'));
  const from = fake.store.currentRv();
  const web = fake.apply(service('shop', 'web'));
  const watch = new WatchReader(fake, `/api/v1/namespaces/shop/services?watch=1&resourceVersion=${from}`);
  t.teardown(() => watch.close());
  await watch.until((w) => w.events.length === 1);
  t.equal(watch.status, 200);
  t.match(watch.events[0], { type: 'ADDED', object: { kind: 'Service', apiVersion: 'v1', metadata: { name: 'web', resourceVersion: web.metadata.resourceVersion } } });
  fake.apply({ ...service('shop', 'web'), metadata: { name: 'web', namespace: 'shop', labels: { v: '2' } } });
  fake.apply(service('other', 'elsewhere'));
  t.ok(fake.remove('Service', 'shop', 'web'));
  await watch.until((w) => w.events.length === 3);
  t.same(watch.events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
  t.same(watch.events[2]?.object.metadata.labels, { v: '2' }, 'DELETED carries the last state');
  t.equal(watch.events[2]?.object.metadata.resourceVersion, String(fake.store.currentRv()));
  const versions = watch.events.map((e) => Number(e.object.metadata.resourceVersion));
  t.same([...versions].sort((a, b) => a - b), versions, 'increasing');
});

t.test('watch without a resourceVersion starts with the current objects as ADDED', async (t) => {
  const fake = await started(t);
  fake.apply(configMap('a', 'one'));
  fake.apply(configMap('b', 'two'));
  const watch = new WatchReader(fake, '/api/v1/configmaps?watch=true');
  t.teardown(() => watch.close());
  await watch.until((w) => w.events.length === 2);
  t.same(watch.events.map((e) => [e.type, e.object.metadata.name, e.object.kind]), [['ADDED', 'one', 'ConfigMap'], ['ADDED', 'two', 'ConfigMap']]);
  fake.apply(configMap('a', 'three'));
  await watch.until((w) => w.events.length === 3);
});

t.test('a resourceVersion older than the retained window gets an ERROR 410 event and the stream ends', async (t) => {
  const fake = await started(t);
  fake.apply(service('shop', 'a'));
  const old = fake.store.currentRv();
  fake.apply(service('shop', 'b'));
  fake.compact();
  const watch = new WatchReader(fake, `/api/v1/services?watch=1&resourceVersion=${old}`);
  await watch.until((w) => w.ended);
  t.equal(watch.status, 200);
  t.equal(watch.events.length, 1);
  t.match(watch.events[0], {
    type: 'ERROR',
    object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: `too old resource version: ${old} (${fake.store.currentRv()})` },
  });
  const current = new WatchReader(fake, `/api/v1/services?watch=1&resourceVersion=${fake.store.currentRv()}`);
  t.teardown(() => current.close());
  fake.apply(service('shop', 'c'));
  await current.until((w) => w.events.length === 1);
  t.equal(current.events[0]?.type, 'ADDED', 'the current version still watches');
});

t.test('a bounded event window expires old versions on its own', async (t) => {
  const fake = await FakeApiServer.start({ eventWindow: 3 });
  t.teardown(() => fake.close());
  const start = fake.store.currentRv();
  for (let i = 0; i < 5; i++) fake.apply(service('shop', `s${i}`));
  const watch = new WatchReader(fake, `/api/v1/services?watch=1&resourceVersion=${start}`);
  await watch.until((w) => w.ended);
  t.equal(watch.events[0]?.object.code, 410);
  const recent = new WatchReader(fake, `/api/v1/services?watch=1&resourceVersion=${fake.store.currentRv() - 3}`);
  t.teardown(() => recent.close());
  await recent.until((w) => w.events.length === 3);
  t.notOk(recent.ended);
});

t.test('selectors on watch: objects entering and leaving the selection are ADDED and DELETED', async (t) => {
  const fake = await started(t);
  const from = fake.store.currentRv();
  const watch = new WatchReader(fake, `/api/v1/configmaps?watch=1&resourceVersion=${from}&labelSelector=${encodeURIComponent('mesh.io/plugin')}`);
  t.teardown(() => watch.close());
  fake.apply(configMap('p', 'plain'));
  fake.apply(configMap('p', 'plain', { 'mesh.io/plugin': 'x' }));
  fake.apply(configMap('p', 'plain', { 'mesh.io/plugin': 'y' }));
  fake.apply(configMap('p', 'plain', {}));
  fake.remove('ConfigMap', 'p', 'plain');
  await watch.until((w) => w.events.length === 3);
  t.same(watch.events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
  t.same(watch.events[2]?.object.metadata.labels, { 'mesh.io/plugin': 'y' }, 'DELETED carries the last matching state');
  const byName = new WatchReader(fake, `/api/v1/configmaps?watch=1&resourceVersion=${from}&fieldSelector=metadata.name%3Dplain`);
  t.teardown(() => byName.close());
  await byName.until((w) => w.events.length === 5);
});

t.test('bookmarks only for watches that allow them, with just kind/apiVersion/resourceVersion', async (t) => {
  const fake = await started(t);
  fake.apply(service('shop', 'web'));
  const plain = new WatchReader(fake, `/api/v1/services?watch=1&resourceVersion=${fake.store.currentRv()}`);
  const marked = new WatchReader(fake, `/api/v1/services?watch=1&resourceVersion=${fake.store.currentRv()}&allowWatchBookmarks=true`);
  t.teardown(() => {
    plain.close();
    marked.close();
  });
  await marked.until((w) => w.status === 200);
  await plain.until((w) => w.status === 200);
  fake.setBookmarkInterval(20);
  await marked.until((w) => w.events.length >= 2);
  t.same(marked.events[0], { type: 'BOOKMARK', object: { kind: 'Service', apiVersion: 'v1', metadata: { resourceVersion: String(fake.store.currentRv()) } } });
  t.equal(plain.events.length, 0);
});

t.test('timeoutSeconds ends the watch cleanly', async (t) => {
  const fake = await started(t);
  const watch = new WatchReader(fake, '/api/v1/services?watch=1&timeoutSeconds=1');
  await watch.until((w) => w.ended, 5000);
  t.equal(fake.openWatches(), 0);
});

t.test('dropWatches cuts every open watch (clean or abrupt) and counts them', async (t) => {
  const fake = await started(t);
  const a = new WatchReader(fake, '/api/v1/services?watch=1');
  const b = new WatchReader(fake, '/apis/discovery.k8s.io/v1/endpointslices?watch=1');
  await a.until((w) => w.status === 200);
  await b.until((w) => w.status === 200);
  t.equal(fake.openWatches(), 2);
  t.equal(fake.dropWatches(), 2);
  await a.until((w) => w.ended);
  await b.until((w) => w.ended);
  const c = new WatchReader(fake, '/api/v1/services?watch=1');
  await c.until((w) => w.status === 200);
  t.equal(fake.dropWatches('abrupt'), 1);
  await c.until((w) => w.ended);
  t.equal(fake.requestCount('watch', 'services'), 2);
  t.equal(fake.requestCount('watch', 'endpointslices'), 1);
  t.match(await call(fake, 'GET', '/api/v1/services?watch=1&resourceVersion=abc'), { status: 400 });
});
