import t from 'tap';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApiServer } from '../../../test/fake-apiserver/index.js';
import { KubeSource } from '../../src/sources/kube-source.js';
import { configMap, endpointSlice, kubeConfigFor, kubeWorld, ManualTimers, CallLogSink, service, until } from './kube-test-kit.js';

t.test('start() delivers the first list of every resource as plain JSON with kind, then isReady()', async (t) => {
  const fake = await FakeApiServer.start();
  t.teardown(() => fake.close());
  fake.apply(service('shop', 'web'));
  fake.apply(endpointSlice('shop', 'web', ['127.0.1.11']));
  fake.apply(configMap('meshplug-system', 'plugin-a', { 'mesh.io/plugin': 'a', 'mesh.io/plugin-version': '1.0.0' }, { 'plugin.yaml': 'name: a' }));
  fake.apply(configMap('shop', 'component-web', { 'mesh.io/component': 'web' }));
  fake.apply(configMap('shop', 'mesh-global', { 'mesh.io/values': 'true' }));
  const source = new KubeSource({ kubeConfig: kubeConfigFor(fake) });
  t.teardown(() => source.stop());
  const sink = new CallLogSink();
  t.notOk(source.isReady());
  await source.start(sink);
  t.ok(source.isReady());
  t.same(sink.keys('Service'), ['shop/web']);
  t.same(sink.keys('EndpointSlice'), ['shop/web-abcde']);
  t.same(sink.keys('ConfigMap'), ['meshplug-system/plugin-a', 'shop/component-web', 'shop/mesh-global']);
  const web = sink.get('Service', 'shop', 'web') as any;
  t.match(web, { kind: 'Service', apiVersion: 'v1', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 8080 }] } });
  t.type(web.metadata.creationTimestamp, 'string', 'timestamps as on the wire, not Date objects');
  t.match(sink.get('EndpointSlice', 'shop', 'web-abcde'), { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', endpoints: [{ addresses: ['127.0.1.11'] }] });
  t.equal(sink.problems.size, 0);
  t.equal(fake.requestCount('list', 'endpoints'), 0, 'legacy Endpoints not read by default');
});

t.test('add, modify and delete of Services, EndpointSlices and ConfigMaps reach the sink', async (t) => {
  const { fake, sink } = await kubeWorld(t);
  fake.apply(service('shop', 'tomcat'));
  fake.apply(endpointSlice('shop', 'tomcat', ['127.0.1.11', '127.0.1.12']));
  fake.apply(configMap('shop', 'component-tomcat', { 'mesh.io/component': 'tomcat' }, { 'component.yaml': 'plugins: []' }));
  await until('adds', () => sink.keys('Service').length === 1 && sink.keys('EndpointSlice').length === 1 && sink.keys('ConfigMap').length === 1);

  fake.apply(service('shop', 'tomcat', 9090));
  fake.apply(endpointSlice('shop', 'tomcat', ['127.0.1.13']));
  fake.apply(configMap('shop', 'component-tomcat', { 'mesh.io/component': 'tomcat' }, { 'component.yaml': 'dependencies: [redis]' }));
  await until('modifications', () => {
    const svc = sink.get('Service', 'shop', 'tomcat') as any;
    const slice = sink.get('EndpointSlice', 'shop', 'tomcat-abcde') as any;
    const cm = sink.get('ConfigMap', 'shop', 'component-tomcat') as any;
    return svc?.spec.ports[0].port === 9090 && slice?.endpoints.length === 1 && cm?.data['component.yaml'] === 'dependencies: [redis]';
  });

  fake.remove('Service', 'shop', 'tomcat');
  fake.remove('EndpointSlice', 'shop', 'tomcat-abcde');
  fake.remove('ConfigMap', 'shop', 'component-tomcat');
  await until('deletes', () => sink.keys('Service').length + sink.keys('EndpointSlice').length + sink.keys('ConfigMap').length === 0);
  t.equal(sink.count('remove', 'Service'), 1);
  t.equal(sink.count('remove', 'ConfigMap'), 1);
});

t.test('label selection: unlabelled ConfigMaps never arrive; losing the label removes one', async (t) => {
  const { fake, sink } = await kubeWorld(t);
  fake.apply(configMap('shop', 'unrelated', { app: 'x' }));
  fake.apply(configMap('shop', 'both', { 'mesh.io/plugin': 'p', 'mesh.io/component': 'web' }));
  fake.apply(configMap('shop', 'marker', { 'mesh.io/component': 'marker' }));
  await until('labelled ConfigMaps', () => sink.keys('ConfigMap').length === 2);
  t.same(sink.keys('ConfigMap'), ['shop/both', 'shop/marker']);
  t.notOk(sink.log.some((c) => c.key === 'shop/unrelated'), 'never delivered');

  fake.apply(configMap('shop', 'both', { 'mesh.io/component': 'web' }));
  fake.apply(configMap('shop', 'marker', {}));
  await until('marker gone', () => sink.get('ConfigMap', 'shop', 'marker') === undefined);
  await until('both still held by the component informer', () => (sink.get('ConfigMap', 'shop', 'both') as any)?.metadata.labels['mesh.io/plugin'] === undefined);
  t.same(sink.keys('ConfigMap'), ['shop/both']);
});

t.test('a dropped watch resumes from its resourceVersion without a relist, losing nothing', async (t) => {
  const { fake, sink } = await kubeWorld(t);
  fake.apply(service('shop', 'a'));
  await until('a', () => sink.keys('Service').length === 1);
  const lists = fake.requestCount('list', 'services');
  const watches = fake.requestCount('watch', 'services');
  t.ok(fake.dropWatches('clean') >= 5);
  await until('watches re-opened', () => fake.requestCount('watch', 'services') > watches);
  fake.apply(service('shop', 'b'));
  fake.remove('Service', 'shop', 'a');
  await until('b in, a out', () => sink.keys('Service').join() === 'shop/b');
  t.equal(fake.requestCount('list', 'services'), lists, 'resumed, not relisted');
  t.equal(sink.problems.size, 0);
});

t.test('a broken watch restarts after backoff; a delete while disconnected still arrives', async (t) => {
  const { fake, sink, timers } = await kubeWorld(t);
  fake.apply(service('shop', 'a'));
  fake.apply(service('shop', 'b'));
  await until('two services', () => sink.keys('Service').length === 2);
  fake.dropWatches('abrupt');
  await until('restarts scheduled', () => timers.size >= 5);
  await until('problem reported', () => sink.problems.has('kube'));
  t.match(sink.problems.get('kube')?.where, /^kube:.*services/);
  fake.remove('Service', 'shop', 'a');
  fake.apply(service('shop', 'c'));
  const upserts = sink.count('upsert', 'Service');
  timers.fire();
  await until('converged', () => sink.keys('Service').join() === 'shop/b,shop/c');
  await until('problem cleared', () => !sink.problems.has('kube'));
  t.equal(sink.count('upsert', 'Service'), upserts + 1, 'only the new object was upserted: no duplicates');
  t.same(sink.keys('Service'), (fake.store.list({ group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true }, () => true)).map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
});

t.test('410 Gone after compaction: relist, replace, converge (deletes while away disappear)', async (t) => {
  const { fake, sink, timers } = await kubeWorld(t);
  fake.apply(service('shop', 'a'));
  fake.apply(configMap('shop', 'component-a', { 'mesh.io/component': 'a' }));
  fake.apply(configMap('shop', 'plugin-p', { 'mesh.io/plugin': 'p' }));
  await until('initial', () => sink.keys('Service').length === 1 && sink.keys('ConfigMap').length === 2);
  fake.dropWatches('abrupt');
  await until('restarts scheduled', () => timers.size >= 5);
  fake.remove('Service', 'shop', 'a');
  fake.apply(service('shop', 'b'));
  fake.remove('ConfigMap', 'shop', 'component-a');
  fake.apply(configMap('shop', 'plugin-p', { 'mesh.io/plugin': 'p' }, { changed: 'yes' }));
  fake.compact();
  const lists = fake.requestCount('list', 'services');
  const replaces = sink.count('replace', 'Service');
  timers.fire();
  await until('converged', () =>
    sink.keys('Service').join() === 'shop/b' &&
    sink.keys('ConfigMap').join() === 'shop/plugin-p' &&
    (sink.get('ConfigMap', 'shop', 'plugin-p') as any)?.data.changed === 'yes');
  t.ok(fake.requestCount('list', 'services') > lists, 'relisted after 410');
  t.ok(sink.count('replace', 'Service') > replaces, 'relist delivered with replace()');
  fake.apply(service('shop', 'c'));
  await until('watching again after the relist', () => sink.keys('Service').length === 2);
});

t.test('legacy Endpoints only with legacyEndpoints', async (t) => {
  const endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web', namespace: 'shop' },
    subsets: [{ addresses: [{ ip: '127.0.1.11' }], ports: [{ name: 'http', port: 8080 }] }],
  };
  const off = await kubeWorld(t);
  off.fake.apply(endpoints);
  off.fake.apply(service('shop', 'marker'));
  await until('marker', () => off.sink.keys('Service').length === 1);
  t.same(off.sink.keys('Endpoints'), []);
  t.equal(off.fake.requestCount('list', 'endpoints') + off.fake.requestCount('watch', 'endpoints'), 0);

  const on = await kubeWorld(t, { legacyEndpoints: true }, { start: false });
  on.fake.apply(endpoints);
  await on.source.start(on.sink);
  t.same(on.sink.keys('Endpoints'), ['shop/web']);
  t.match(on.sink.get('Endpoints', 'shop', 'web'), { kind: 'Endpoints', subsets: [{ addresses: [{ ip: '127.0.1.11' }] }] });
  on.fake.remove('Endpoints', 'shop', 'web');
  await until('endpoints removed', () => on.sink.keys('Endpoints').length === 0);
});

t.test('start() does not resolve before the first list of every informer', async (t) => {
  const { fake, source, sink } = await kubeWorld(t, {}, { start: false });
  fake.apply(service('shop', 'web'));
  const release = fake.holdLists();
  let resolved = false;
  const started = source.start(sink).then(() => (resolved = true));
  await until('lists requested', () => fake.requestCount('list', 'configmaps') === 3 && fake.requestCount('list', 'services') === 1);
  t.notOk(resolved);
  t.notOk(source.isReady());
  t.same(sink.keys('Service'), []);
  release();
  await started;
  t.ok(source.isReady());
  t.same(sink.keys('Service'), ['shop/web']);
});

t.test('restart backoff doubles up to the cap, with jitter, and resets on recovery', async (t) => {
  const timers = new ManualTimers();
  const { fake, source, sink } = await kubeWorld(t, { timers, minBackoffMs: 100, maxBackoffMs: 1000, random: () => 1 }, { start: false });
  fake.failRequests({ verb: 'list', plural: 'services', code: 500 });
  let resolved = false;
  const started = source.start(sink).then(() => (resolved = true));
  for (let i = 0; i < 7; i++) {
    await until(`restart ${i + 1} scheduled`, () => timers.delays.length === i + 1);
    timers.fire();
  }
  t.same(timers.delays, [100, 200, 400, 800, 1000, 1000, 1000], 'capped at maxBackoffMs');
  t.notOk(resolved, 'not ready while one informer cannot list');
  t.match(sink.problems.get('kube'), { where: 'kube:services', message: /services: HTTP 500/ });
  await until('8th restart scheduled', () => timers.delays.length === 8);
  fake.failRequests(undefined);
  timers.fire();
  await started;
  t.ok(source.isReady());
  await until('problem cleared', () => !sink.problems.has('kube'));
  fake.dropWatches('abrupt');
  await until('restart after recovery', () => timers.delays.length >= 9);
  t.equal(timers.delays[8], 100, 'backoff reset after recovery');

  const jitterTimers = new ManualTimers();
  const jittered = await kubeWorld(t, { timers: jitterTimers, minBackoffMs: 100, maxBackoffMs: 1000, random: () => 0 }, { start: false });
  jittered.fake.failRequests({ verb: 'list', plural: 'endpointslices' });
  void jittered.source.start(jittered.sink).catch(() => undefined);
  for (let i = 0; i < 5; i++) {
    await until(`jittered restart ${i + 1}`, () => jitterTimers.delays.length === i + 1);
    jitterTimers.fire();
  }
  t.same(jitterTimers.delays, [50, 100, 200, 400, 500], 'jitter spans half to all of the base delay');
});

t.test('stop(): idempotent, rejects a pending start, nothing arrives after it', async (t) => {
  const { fake, source, sink } = await kubeWorld(t, {}, { start: false });
  const release = fake.holdLists();
  const started = source.start(sink);
  await until('lists requested', () => fake.requestCount('list', 'services') === 1);
  await source.stop();
  await source.stop();
  await t.rejects(started, { code: 'DISC_ERR_KUBE_STOPPED' });
  release();
  fake.apply(service('shop', 'late'));
  await until('server has no open watches', () => fake.openWatches() === 0);
  t.same(sink.log, [], 'nothing delivered after stop');
  t.notOk(source.isReady());

  const running = await kubeWorld(t);
  await running.source.stop();
  const calls = running.sink.log.length;
  running.fake.apply(service('shop', 'after'));
  await until('watches closed', () => running.fake.openWatches() === 0);
  t.equal(running.sink.log.length, calls);
});

t.test('namespace option watches one namespace only', async (t) => {
  const { fake, source, sink } = await kubeWorld(t, { namespace: 'shop' }, { start: false });
  fake.apply(service('shop', 'in'));
  fake.apply(service('other', 'out'));
  await source.start(sink);
  t.equal(fake.requestCount('list', 'services'), 1);
  t.same(sink.keys('Service'), ['shop/in']);
  fake.apply(service('other', 'out2'));
  fake.apply(service('shop', 'in2'));
  await until('in2', () => sink.keys('Service').length === 2);
  t.same(sink.keys('Service'), ['shop/in', 'shop/in2']);
});

t.test('options: validated and frozen; a kubeconfig file path works', async (t) => {
  t.throws(() => new KubeSource({ kubeConfig: undefined, kubeconfigPath: '/nonexistent/kubeconfig' }), { code: 'DISC_ERR_KUBE_CONFIG' });
  const fake = await FakeApiServer.start();
  t.teardown(() => fake.close());
  const kc = kubeConfigFor(fake);
  t.throws(() => new KubeSource({ kubeConfig: kc, minBackoffMs: 0 }), { code: 'DISC_ERR_KUBE_INVALID_OPTIONS' });
  t.throws(() => new KubeSource({ kubeConfig: kc, minBackoffMs: 500, maxBackoffMs: 100 }), { code: 'DISC_ERR_KUBE_INVALID_OPTIONS' });
  t.throws(() => new KubeSource({ kubeConfig: kc, namespace: 'Not A Namespace' }), { code: 'DISC_ERR_KUBE_INVALID_OPTIONS' });
  const dir = await mkdtemp(join(tmpdir(), 'kube-source-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'kubeconfig');
  await writeFile(path, fake.kubeconfigYaml());
  fake.apply(service('shop', 'web'));
  const source = new KubeSource({ kubeconfigPath: path });
  t.teardown(() => source.stop());
  const sink = new CallLogSink();
  await source.start(sink);
  t.same(sink.keys('Service'), ['shop/web']);
});
