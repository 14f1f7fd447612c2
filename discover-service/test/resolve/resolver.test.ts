import t from 'tap';
import { allocateVips, type KubeObject, type MeshDocument, type ResourceSpec } from '@meshplug/plugin-api';
import { Resolver } from '../../src/resolve/resolver.js';
import type { ObjectKind } from '../../src/sources/source.js';
import { Store } from '../../src/store/store.js';
import {
  TEST_PLUGIN,
  componentConfigMap,
  plainConfigMap,
  pluginConfigMap,
  service,
  shopObjects,
  slice,
  storeWith,
  tick,
} from './fixtures.js';

function doc(r: Resolver, ns: string, name: string): MeshDocument {
  const l = r.mesh(ns, name);
  if (!l.ok) throw new Error(`${ns}/${name}: ${l.reason}`);
  return l.value;
}

function spec(r: Resolver, ns: string, name: string, plugin: string): ResourceSpec {
  const l = r.resources(ns, name, plugin);
  if (!l.ok) throw new Error(`${ns}/${name}/${plugin}: ${l.reason}`);
  return l.value;
}

const SHOP_VIPS = allocateVips(['shop/web', 'shop/tomcat', 'cache/redis']);

t.test('the shop example: Rainbond ResourceSpec exactly as the design shows it', async (t) => {
  const r = new Resolver(storeWith(shopObjects()));
  const res = r.resources('shop', 'web', 'net-governance');
  t.ok(res.ok);
  t.same(res.ok && res.value, {
    base_ports: [
      {
        service_alias: 'web',
        service_id: '5b0e7c1e-0000-4000-8000-000000000001',
        port: 8080,
        listen_port: 65380,
        protocol: 'http',
        options: { OPEN_LIMIT: 'YES' },
      },
    ],
    base_services: [
      {
        service_alias: 'web',
        service_id: '5b0e7c1e-0000-4000-8000-000000000001',
        depend_service_alias: 'tomcat',
        depend_service_id: '5b0e7c1e-0000-4000-8000-000000000002',
        port: 8080,
        protocol: 'http',
        options: { LBPolicy: 'least_request', Weight: '50' },
      },
      {
        service_alias: 'web',
        service_id: '5b0e7c1e-0000-4000-8000-000000000001',
        depend_service_alias: 'redis',
        depend_service_id: '5b0e7c1e-0000-4000-8000-000000000003',
        port: 6379,
        protocol: 'tcp',
        options: { LBPolicy: 'round_robin', Weight: '50' },
      },
    ],
    base_normal: { options: { LOG_LEVEL: 'debug' } },
  });
  t.match(res.ok && res.version, /^[A-Za-z0-9_-]{16}$/);
  t.same(r.errors(), []);
});

t.test('the shop example: mesh document', async (t) => {
  const r = new Resolver(storeWith(shopObjects()));
  const d = doc(r, 'shop', 'web');
  t.same(d.inbound, [{ name: 'http', port: 8080, outerPort: 65380, protocol: 'http', mode: 'http', options: { OPEN_LIMIT: 'YES' } }]);
  t.equal(d.outbound.length, 2);
  const [tomcat, redis] = d.outbound;
  t.match(tomcat, {
    name: 'shop/tomcat:8080',
    namespace: 'shop',
    service: 'tomcat',
    vip: SHOP_VIPS.get('shop/tomcat'),
    port: 8080,
    portName: 'http',
    protocol: 'http',
    mode: 'http',
    policy: 'least_request',
  });
  t.same(
    tomcat?.endpoints.map((e) => [e.address, e.port, e.weight, e.target]),
    [
      ['127.0.1.11', 8080, 50, 'shop/tomcat-0'],
      ['127.0.1.12', 8080, 50, 'shop/tomcat-1'],
      ['127.0.1.13', 8080, 50, 'shop/tomcat-2'],
    ],
  );
  t.match(redis, { name: 'cache/redis:6379', vip: SHOP_VIPS.get('cache/redis'), protocol: 'tcp', mode: 'tcp', policy: 'round_robin' });
  t.same(d.dns, {
    records: [
      {
        names: ['tomcat', 'tomcat.shop', 'tomcat.shop.svc', 'tomcat.shop.svc.cluster.local'],
        service: 'shop/tomcat',
        address: SHOP_VIPS.get('shop/tomcat'),
        ports: [{ name: 'http', port: 8080, protocol: 'http' }],
      },
      {
        names: ['redis.cache', 'redis.cache.svc', 'redis.cache.svc.cluster.local'],
        service: 'cache/redis',
        address: SHOP_VIPS.get('cache/redis'),
        ports: [{ name: 'tcp-redis', port: 6379, protocol: 'tcp' }],
      },
    ],
    searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
    upstream: [],
    clusterDomain: 'cluster.local',
    ttl: 5,
  });
  t.same(
    r.routes({ namespace: 'shop', service: 'web' }).map((row) => [row.dependency, row.port, row.policy, row.endpoints.length]),
    [
      ['shop/tomcat', 8080, 'least_request', 3],
      ['cache/redis', 6379, 'round_robin', 1],
    ],
  );
  t.same(r.routes({ namespace: 'cache' }), []);
  t.same(
    r.components().map((c) => [c.namespace, c.name, c.configMap, c.dependencies]),
    [['shop', 'web', 'component-web', ['tomcat', 'redis.cache']]],
  );
  t.same(r.plugins(), [
    { name: 'net-governance', version: '1.0.0', type: 'net-inout', image: 'meshplug/mesh-proxy:1.0.0', namespace: 'meshplug-system', configMap: 'plugin-net-governance-1.0.0' },
  ]);
  t.same(
    r.services().map((s) => [s.namespace, s.name, s.vip, s.component, s.endpoints.length]),
    [
      ['cache', 'redis', SHOP_VIPS.get('cache/redis'), false, 1],
      ['shop', 'tomcat', SHOP_VIPS.get('shop/tomcat'), false, 3],
      ['shop', 'web', SHOP_VIPS.get('shop/web'), true, 1],
    ],
  );
  t.same(r.service('shop', 'tomcat')?.ports, [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'http' }]);
  t.equal(r.service('shop', 'nope'), undefined);
});

t.test('a Service without a component gets an inbound-only document', async (t) => {
  const r = new Resolver(storeWith(shopObjects()));
  const d = doc(r, 'shop', 'tomcat');
  t.same(d.inbound, [{ name: 'http', port: 8080, outerPort: 65380, protocol: 'http', mode: 'http', options: {} }]);
  t.same(d.outbound, []);
  t.same(d.dns.records, []);
});

function valuesWorld(extra: { kind: ObjectKind; object: KubeObject }[] = []): Store {
  return storeWith([
    { kind: 'ConfigMap', object: pluginConfigMap(TEST_PLUGIN) },
    {
      kind: 'Service',
      object: service('app', 'front', [
        { name: 'http-web', port: 80, targetPort: 8080 },
        { name: 'admin', port: 9000, targetPort: 'admin', appProtocol: 'http' },
        { name: 'db', port: 5432, targetPort: 5432 },
        { name: 'dns-udp', port: 53, protocol: 'UDP' },
      ]),
    },
    { kind: 'Service', object: service('app', 'back', [{ name: 'http', port: 8080 }, { name: 'grpc', port: 9090 }]) },
    { kind: 'Service', object: service('other', 'store', [{ name: 'tcp', port: 7000 }]) },
    { kind: 'ConfigMap', object: plainConfigMap('app', 'shared-a', { 'g.REGION': 'us', 'g.LOG_LEVEL': 'warn', 'g.FIXED': 'hacked', 'g.Weight': '7', 'x.REGION': 'no' }) },
    { kind: 'ConfigMap', object: plainConfigMap('app', 'shared-b', { REGION: 'ap' }) },
    {
      kind: 'ConfigMap',
      object: componentConfigMap('app', 'front', {
        dependencies: ['back', 'store.other:7000'],
        plugins: [
          {
            name: 'tester',
            version: '2.0.0',
            values: {
              normal: { LOG_LEVEL: 'error' },
              ports: { '8080': { OPEN_LIMIT: 'YES' }, '5432': { MaxConnections: '5' } },
              services: { 'back.app:9090': { LBPolicy: 'peak_ewma' }, 'store.other:7000': { Weight: '300' } },
            },
          },
        ],
        valuesFrom: [{ configMap: 'shared-a', prefix: 'g.' }, { configMap: 'shared-b' }],
      }),
    },
    ...extra,
  ]);
}

t.test('values merge: defaults < valuesFrom (in order) < own values; non-editable items keep their default', async (t) => {
  const r = new Resolver(valuesWorld());
  const s = spec(r, 'app', 'front', 'tester');
  // shared-a sets REGION=us, shared-b (later) REGION=ap; own values win over both for LOG_LEVEL.
  t.same(s.base_normal.options, { LOG_LEVEL: 'error', REGION: 'ap', FIXED: 'locked' });
  t.same(
    s.base_services.map((b) => [b.depend_service_alias, b.port, b.protocol, b.options]),
    [
      ['back', 8080, 'http', { LBPolicy: 'round_robin', Weight: '7', Domains: '' }],
      ['back', 9090, 'grpc', { LBPolicy: 'peak_ewma', Weight: '7' }],
      ['store', 7000, 'tcp', { LBPolicy: 'round_robin', Weight: '300' }],
    ],
    'a services key matches however the dependency is spelled (back.app:9090 for `back`)',
  );
  t.equal(doc(r, 'app', 'front').outbound[2]?.endpoints.length, 0);
});

t.test('protocol-constrained items only on ports of those protocols; protocols and ports resolved', async (t) => {
  const r = new Resolver(valuesWorld());
  const s = spec(r, 'app', 'front', 'tester');
  t.same(
    s.base_ports.map((p) => [p.port, p.listen_port, p.protocol, p.options]),
    [
      [8080, 65380, 'http', { OPEN_LIMIT: 'YES', MaxConnections: '1024' }],
      [9000, 65400, 'http', { OPEN_LIMIT: 'NO', MaxConnections: '1024' }],
      [5432, 65332, 'tcp', { MaxConnections: '5' }],
    ],
    'named targetPort uses the Service port number; the UDP port is not proxied',
  );
  const d = doc(r, 'app', 'front');
  t.same(
    d.inbound.map((l) => [l.name, l.port, l.outerPort, l.protocol, l.mode]),
    [
      ['http-web', 8080, 65380, 'http', 'http'],
      ['admin', 9000, 65400, 'http', 'http'],
      ['db', 5432, 65332, 'tcp', 'tcp'],
    ],
  );
  t.same(
    d.outbound.map((c) => [c.name, c.protocol, c.mode, c.policy, c.options['Domains']]),
    [
      ['app/back:8080', 'http', 'http', 'round_robin', ''],
      ['app/back:9090', 'grpc', 'tcp', 'peak_ewma', undefined],
      ['other/store:7000', 'tcp', 'tcp', 'round_robin', undefined],
    ],
  );
});

t.test('cross-namespace dependencies: names, VIPs, DNS', async (t) => {
  const r = new Resolver(valuesWorld());
  const d = doc(r, 'app', 'front');
  const vips = allocateVips(['app/front', 'app/back', 'other/store']);
  t.same(d.dns.records, [
    {
      names: ['back', 'back.app', 'back.app.svc', 'back.app.svc.cluster.local'],
      service: 'app/back',
      address: vips.get('app/back'),
      ports: [
        { name: 'http', port: 8080, protocol: 'http' },
        { name: 'grpc', port: 9090, protocol: 'grpc' },
      ],
    },
    {
      names: ['store.other', 'store.other.svc', 'store.other.svc.cluster.local'],
      service: 'other/store',
      address: vips.get('other/store'),
      ports: [{ name: 'tcp', port: 7000, protocol: 'tcp' }],
    },
  ]);
  t.equal(d.outbound[2]?.namespace, 'other');
});

t.test('endpoint conditions: ready, serving+terminating fallback, neither; dedupe across slices', async (t) => {
  const store = storeWith([
    ...shopObjects(),
    {
      kind: 'EndpointSlice',
      object: slice('shop', 'tomcat-1', 'tomcat', [
        { ip: '127.0.1.11', conditions: { ready: true } },
        { ip: '127.0.1.12', conditions: { ready: null } },
        { ip: '127.0.1.13', conditions: { ready: false, serving: true, terminating: true } },
        { ip: '127.0.1.14', conditions: { ready: false, serving: false, terminating: false } },
      ]),
    },
    { kind: 'EndpointSlice', object: slice('shop', 'tomcat-2', 'tomcat', [{ ip: '127.0.1.11' }, { ip: '127.0.1.15' }]) },
  ]);
  const r = new Resolver(store);
  const addresses = (): string[] => doc(r, 'shop', 'web').outbound[0]?.endpoints.map((e) => e.address) ?? [];
  t.same(addresses(), ['127.0.1.11', '127.0.1.12', '127.0.1.15'], 'ready and ready:null, each address once');
  const row = r.routes({ service: 'web' })[0];
  t.same(
    row?.endpoints.map((e) => [e.address, e.state, e.used]),
    [
      ['127.0.1.11', 'ready', true],
      ['127.0.1.12', 'ready', true],
      ['127.0.1.13', 'terminating', false],
      ['127.0.1.14', 'not-ready', false],
      ['127.0.1.15', 'ready', true],
    ],
  );
  store.upsert('EndpointSlice', slice('shop', 'tomcat-1', 'tomcat', [
    { ip: '127.0.1.13', conditions: { ready: false, serving: true, terminating: true } },
    { ip: '127.0.1.14', conditions: { ready: false, serving: false, terminating: true } },
  ]));
  store.remove('EndpointSlice', slice('shop', 'tomcat-2', 'tomcat', []));
  await tick();
  t.same(addresses(), ['127.0.1.13'], 'only serving+terminating when no ready one is left');
  const e = doc(r, 'shop', 'web').outbound[0]?.endpoints[0];
  t.match(e, { ready: false, serving: true, terminating: true });
  store.upsert('EndpointSlice', slice('shop', 'tomcat-1', 'tomcat', [
    { ip: '127.0.1.14', conditions: { ready: false, serving: false, terminating: false } },
  ]));
  await tick();
  t.same(addresses(), [], 'neither: no endpoint');
});

t.test('slice ports match by the Service port name, and the slice port is used', async (t) => {
  const store = storeWith([
    ...shopObjects(),
    { kind: 'EndpointSlice', object: slice('shop', 'tomcat-1', 'tomcat', [{ ip: '127.0.1.30' }], [{ name: 'http', port: 65380 }]) },
    { kind: 'EndpointSlice', object: slice('shop', 'tomcat-x', 'tomcat', [{ ip: '127.0.1.31' }], [{ name: 'other', port: 1 }]) },
  ]);
  const r = new Resolver(store);
  t.same(
    doc(r, 'shop', 'web').outbound[0]?.endpoints.map((e) => `${e.address}:${e.port}`),
    ['127.0.1.30:65380'],
  );
});

t.test('legacy Endpoints only with the option, only when a Service has no slices', async (t) => {
  const objects = shopObjects().filter((o) => !(o.kind === 'EndpointSlice' && o.object.metadata.name === 'tomcat-1'));
  objects.push({
    kind: 'Endpoints',
    object: {
      kind: 'Endpoints',
      metadata: { namespace: 'shop', name: 'tomcat' },
      subsets: [{ addresses: [{ ip: '127.0.1.40' }], notReadyAddresses: [{ ip: '127.0.1.41' }], ports: [{ name: 'http', port: 8080 }] }],
    } as KubeObject,
  });
  t.same(doc(new Resolver(storeWith(objects)), 'shop', 'web').outbound[0]?.endpoints, []);
  const r = new Resolver(storeWith(objects), { legacyEndpoints: true });
  t.same(doc(r, 'shop', 'web').outbound[0]?.endpoints.map((e) => e.address), ['127.0.1.40']);
  t.same(r.routes({ service: 'web' })[0]?.endpoints.map((e) => [e.address, e.state]), [['127.0.1.40', 'ready'], ['127.0.1.41', 'not-ready']]);
});

t.test('deterministic: any arrival order gives the same documents and versions', async (t) => {
  const objects = [...shopObjects(), ...[...Array(30).keys()].map((i) => ({ kind: 'Service' as ObjectKind, object: service(`ns${i % 3}`, `s${i}`, [{ port: 80 + i }]) }))];
  const a = new Resolver(storeWith(objects));
  const b = new Resolver(storeWith([...objects].reverse()));
  const store = new Store();
  const c = new Resolver(store);
  for (const o of [...objects].sort(() => Math.random() - 0.5)) store.upsert(o.kind, o.object);
  await tick();
  for (const r of [b, c]) {
    t.same(r.mesh('shop', 'web'), a.mesh('shop', 'web'));
    t.same(r.resources('shop', 'web', 'net-governance'), a.resources('shop', 'web', 'net-governance'));
    t.same(r.services().map((s) => s.vip), a.services().map((s) => s.vip));
  }
  t.equal(new Set(a.services().map((s) => s.vip)).size, a.services().length, 'VIPs unique');
});

t.test('versions change only when content changes; unrelated objects leave VIPs and versions alone', async (t) => {
  const store = storeWith(shopObjects());
  const r = new Resolver(store);
  let notified = 0;
  r.onChange(() => notified++);
  const v0 = doc(r, 'shop', 'web').version;
  const rs0 = r.resources('shop', 'web', 'net-governance');
  for (const { kind, object } of shopObjects()) store.upsert(kind, structuredClone(object));
  await tick();
  t.equal(notified, 0, 'identical objects are no change');
  store.upsert('Service', service('elsewhere', 'x', [{ port: 1 }]));
  store.upsert('ConfigMap', plainConfigMap('shop', 'unrelated', { a: 'b' }));
  store.upsert('EndpointSlice', slice('elsewhere', 'x-1', 'x', [{ ip: '127.0.1.99' }]));
  await tick();
  t.equal(notified, 1, 'one batch, one notification');
  t.equal(doc(r, 'shop', 'web').version, v0, 'unrelated objects: same version');
  t.equal(r.resources('shop', 'web', 'net-governance'), rs0, 'cached resources kept');
  store.upsert('EndpointSlice', slice('shop', 'tomcat-1', 'tomcat', [{ ip: '127.0.1.11', pod: 'tomcat-0' }]));
  await tick();
  const v1 = doc(r, 'shop', 'web').version;
  t.not(v1, v0, 'endpoint change: new mesh version');
  t.equal(r.resources('shop', 'web', 'net-governance'), rs0, 'ResourceSpec has no endpoints: not rebuilt');
  store.upsert('EndpointSlice', slice('shop', 'tomcat-1', 'tomcat', [{ ip: '127.0.1.11', pod: 'tomcat-0' }]));
  await tick();
  t.equal(doc(r, 'shop', 'web').version, v1);
});

t.test('a valuesFrom change re-renders the component', async (t) => {
  const store = storeWith(shopObjects());
  const r = new Resolver(store);
  const before = r.resources('shop', 'web', 'net-governance');
  const changed: number[] = [];
  r.onChange(() => changed.push(1));
  store.upsert('ConfigMap', plainConfigMap('shop', 'mesh-global', { 'global.LOG_LEVEL': 'warn', 'global.Weight': '70' }));
  await tick();
  const after = r.resources('shop', 'web', 'net-governance');
  t.ok(before.ok && after.ok && before.version !== after.version, 'new version');
  t.same(after.ok && after.value.base_services.map((s) => s.options['Weight']), ['70', '70']);
  t.same(doc(r, 'shop', 'web').outbound.map((c) => c.endpoints[0]?.weight), [70, 70]);
  t.same(changed.length, 1);
  store.remove('ConfigMap', plainConfigMap('shop', 'mesh-global', {}));
  await tick();
  t.same(spec(r, 'shop', 'web', 'net-governance').base_services.map((s) => s.options['Weight']), ['100', '100'], 'defaults again');
  t.match(r.errors(), [{ kind: 'values', namespace: 'shop', name: 'component-web', path: 'data["component.yaml"].valuesFrom[0].configMap', reason: /ConfigMap shop\/mesh-global does not exist/ }]);
});

t.test('invalid plugin and component ConfigMaps are listed in errors() while the rest resolves', async (t) => {
  const brokenPlugin = pluginConfigMap({ ...TEST_PLUGIN, name: 'broken', type: 'nope' });
  const notImmutable = { ...pluginConfigMap({ ...TEST_PLUGIN, name: 'mutable' }), immutable: false };
  const brokenComponent = componentConfigMap('shop', 'tomcat', { dependencies: ['Bad_Name'], plugins: [] });
  let now = Date.parse('2030-01-01T00:00:00Z');
  const store = storeWith([
    ...shopObjects(),
    { kind: 'ConfigMap', object: brokenPlugin },
    { kind: 'ConfigMap', object: notImmutable },
    { kind: 'ConfigMap', object: brokenComponent },
  ]);
  const r = new Resolver(store, {}, { now: () => new Date(now) });
  const errors = r.errors();
  t.same(
    errors.map((e) => [e.kind, e.namespace, e.name, e.path]),
    [
      ['component', 'shop', 'component-tomcat', 'data["component.yaml"].dependencies[0]'],
      ['plugin', 'meshplug-system', 'plugin-broken-2.0.0', 'data["plugin.yaml"].type'],
      ['plugin', 'meshplug-system', 'plugin-mutable-2.0.0', 'immutable'],
    ],
  );
  t.ok(errors.every((e) => e.since === '2030-01-01T00:00:00.000Z' && e.reason.length > 0));
  t.ok(r.resources('shop', 'web', 'net-governance').ok, 'the valid component still resolves');
  t.same(r.plugins().map((p) => p.name), ['net-governance']);
  t.same(doc(r, 'shop', 'tomcat').outbound, [], 'the invalid component is ignored: inbound only');
  now += 60_000;
  store.upsert('Service', service('shop', 'new', [{ port: 1 }]));
  await tick();
  t.same(r.errors().map((e) => e.since), errors.map((e) => e.since), 'since stays when the error persists');
  store.upsert('ConfigMap', componentConfigMap('shop', 'tomcat', { dependencies: ['redis.cache'] }));
  await tick();
  t.equal(r.errors().length, 2, 'fixing the component clears its error');
  t.equal(doc(r, 'shop', 'tomcat').outbound[0]?.name, 'cache/redis:6379');
});

t.test('the same plugin version published twice: the later one is the error', async (t) => {
  const first = pluginConfigMap(TEST_PLUGIN, { namespace: 'zz', name: 'p-old', creationTimestamp: '2024-01-01T00:00:00Z' });
  const second = pluginConfigMap({ ...TEST_PLUGIN, image: 'other' }, { namespace: 'aa', name: 'p-new', creationTimestamp: '2024-06-01T00:00:00Z' });
  for (const order of [[first, second], [second, first]]) {
    const r = new Resolver(storeWith(order.map((object) => ({ kind: 'ConfigMap' as ObjectKind, object }))));
    t.same(r.plugins().map((p) => [p.namespace, p.configMap, p.image]), [['zz', 'p-old', 'example/tester:2']]);
    t.match(r.errors(), [{ kind: 'plugin', namespace: 'aa', name: 'p-new', reason: /already published by ConfigMap zz\/p-old/ }]);
  }
  // Without creation times the namespace/name order decides.
  const a = pluginConfigMap(TEST_PLUGIN, { namespace: 'a', name: 'p' });
  const b = pluginConfigMap(TEST_PLUGIN, { namespace: 'b', name: 'p' });
  const r = new Resolver(storeWith([b, a].map((object) => ({ kind: 'ConfigMap' as ObjectKind, object }))));
  t.same(r.plugins().map((p) => p.namespace), ['a']);
});

t.test('two component ConfigMaps for one Service: the later one is the error', async (t) => {
  const r = new Resolver(
    storeWith([
      ...shopObjects(),
      { kind: 'ConfigMap', object: componentConfigMap('shop', 'web', { dependencies: ['redis.cache'] }, 'web-again') },
    ]),
  );
  t.match(r.errors(), [{ kind: 'component', name: 'web-again', reason: /component shop\/web is already defined by ConfigMap shop\/component-web/ }]);
  t.equal(doc(r, 'shop', 'web').outbound.length, 2, 'the first definition is used');
});

t.test('plugin problems on a component: not published, rejected values, disabled', async (t) => {
  const store = storeWith([
    ...shopObjects(),
    {
      kind: 'ConfigMap',
      object: componentConfigMap('shop', 'tomcat', {
        plugins: [
          { name: 'net-governance', version: '9.9.9' },
          { name: 'tester', version: '2.0.0', values: { normal: { LOG_LEVEL: 'loud' } } },
          { name: 'off', version: '1.0.0', enabled: false },
        ],
      }),
    },
    { kind: 'ConfigMap', object: pluginConfigMap(TEST_PLUGIN) },
  ]);
  const r = new Resolver(store);
  t.match(r.resources('shop', 'tomcat', 'net-governance'), { ok: false, code: 'DISC_ERR_NOT_FOUND', reason: 'plugin net-governance version 9.9.9 is not published' });
  t.match(r.resources('shop', 'tomcat', 'tester'), { ok: false, code: 'DISC_ERR_NOT_FOUND', reason: /rejected: plugins\[1\]\.values\.normal\.LOG_LEVEL/ });
  t.match(r.resources('shop', 'tomcat', 'off'), { ok: false, reason: 'plugin off is disabled on shop/tomcat' });
  t.match(r.errors(), [
    { kind: 'component', name: 'component-tomcat', path: 'data["component.yaml"].plugins[0].version' },
    { kind: 'component', name: 'component-tomcat', path: 'data["component.yaml"].plugins[1].values.normal.LOG_LEVEL' },
  ]);
  store.upsert('ConfigMap', pluginConfigMap({ ...TEST_PLUGIN, name: 'net-governance', version: '9.9.9' }));
  await tick();
  t.ok(r.resources('shop', 'tomcat', 'net-governance').ok, 'a plugin published later is picked up');
});

t.test('traffic options are checked as the sidecar reads them', async (t) => {
  const store = storeWith([
    ...shopObjects(),
    { kind: 'ConfigMap', object: plainConfigMap('shop', 'mesh-global', { 'global.Weight': 'heavy', 'global.LBPolicy': 'least_request' }) },
  ]);
  const r = new Resolver(store);
  t.match(r.errors(), [{ kind: 'values', namespace: 'shop', name: 'mesh-global', path: 'data["global.Weight"]', reason: /heavy/ }]);
  const d = doc(r, 'shop', 'web');
  t.same(d.outbound.map((c) => [c.policy, c.endpoints[0]?.weight]), [['least_request', 100], ['least_request', 100]], 'a bad shared value falls back to the default');
  store.upsert('ConfigMap', componentConfigMap('shop', 'web', {
    dependencies: ['tomcat'],
    plugins: [{ name: 'net-governance', version: '1.0.0', values: { services: { 'tomcat:8080': { Weight: '0' } } } }],
  }));
  await tick();
  t.match(r.resources('shop', 'web', 'net-governance'), { ok: false, reason: /rejected: plugins\[0\]\.values\.services\["tomcat:8080"\]\.Weight/ });
  t.match(r.errors(), [{ kind: 'component', path: 'data["component.yaml"].plugins[0].values.services["tomcat:8080"].Weight', reason: '"0" must be an integer from 1 to 1000' }]);
});

t.test('not found: every reason says what is missing', async (t) => {
  const r = new Resolver(storeWith(shopObjects()));
  t.same(r.mesh('nowhere', 'x'), { ok: false, code: 'DISC_ERR_NOT_FOUND', reason: 'namespace nowhere has no Services' });
  t.same(r.mesh('shop', 'x'), { ok: false, code: 'DISC_ERR_NOT_FOUND', reason: 'Service shop/x not found' });
  t.same(r.resources('shop', 'x', 'p'), { ok: false, code: 'DISC_ERR_NOT_FOUND', reason: 'Service shop/x not found' });
  t.match(r.resources('shop', 'tomcat', 'net-governance'), { ok: false, reason: /shop\/tomcat has no valid component ConfigMap/ });
  t.same(r.resources('shop', 'web', 'other'), { ok: false, code: 'DISC_ERR_NOT_FOUND', reason: 'component shop/web does not use plugin other' });
});

t.test('a dependency on a missing Service or port: no cluster, a route row with the problem', async (t) => {
  const store = storeWith([
    ...shopObjects(),
    { kind: 'ConfigMap', object: componentConfigMap('shop', 'tomcat', { dependencies: ['ghost', 'redis.cache:1234', 'web'] }) },
  ]);
  const r = new Resolver(store);
  t.same(doc(r, 'shop', 'tomcat').outbound.map((c) => c.name), ['shop/web:8080']);
  t.match(r.routes({ service: 'tomcat' }), [
    { dependency: 'shop/web', port: 8080 },
    { dependency: 'shop/ghost', problem: 'Service shop/ghost not found', endpoints: [] },
    { dependency: 'cache/redis', port: 1234, problem: 'Service cache/redis has no TCP port 1234' },
  ]);
  store.upsert('Service', service('shop', 'ghost', [{ name: 'http', port: 8080 }]));
  await tick();
  t.same(doc(r, 'shop', 'tomcat').outbound.map((c) => c.name), ['shop/ghost:8080', 'shop/web:8080'], 'the Service appearing adds the cluster');
});

t.test('an app port inside the outer range: 409 with the reason, listed in errors()', async (t) => {
  const store = storeWith([...shopObjects(), { kind: 'Service', object: service('shop', 'odd', [{ port: 65350 }]) }]);
  const r = new Resolver(store);
  t.match(r.mesh('shop', 'odd'), { ok: false, code: 'DISC_ERR_UNRESOLVABLE', reason: /app port 65350 lies inside/ });
  t.match(r.errors(), [{ kind: 'service', namespace: 'shop', name: 'odd', path: 'spec.ports' }]);
  store.remove('Service', service('shop', 'odd', []));
  await tick();
  t.same(r.errors(), []);
});

t.test('source problems are errors too; readiness and options', async (t) => {
  const store = storeWith(shopObjects());
  const r = new Resolver(store, { clusterDomain: 'Corp.Example.', dnsUpstream: ['10.0.0.10', '10.0.0.11:5353'], dnsTtl: 30 });
  t.equal(r.options.clusterDomain, 'corp.example');
  t.same(doc(r, 'shop', 'web').dns.searches, ['shop.svc.corp.example', 'svc.corp.example', 'corp.example']);
  t.same(doc(r, 'shop', 'web').dns.records[0]?.names.at(-1), 'tomcat.shop.svc.corp.example');
  t.same(doc(r, 'shop', 'web').dns.upstream, ['10.0.0.10', '10.0.0.11:5353']);
  t.equal(doc(r, 'shop', 'web').dns.ttl, 30);
  store.problem('file:/x.yaml', { where: '/x.yaml:3', message: 'YAML: bad' });
  await tick();
  t.match(r.errors(), [{ kind: 'source', name: 'file:/x.yaml', path: '/x.yaml:3', reason: 'YAML: bad' }]);
  let calls = 0;
  r.onChange(() => calls++);
  t.notOk(r.isReady());
  r.setReady(true);
  r.setReady(true);
  t.ok(r.isReady());
  t.equal(calls, 1);
  t.throws(() => new Resolver(new Store(), { clusterDomain: 'a b', outerPortRange: { min: 10, max: 5 }, dnsUpstream: ['nope'], dnsTtl: -1 }), {
    code: 'DISC_ERR_INVALID_RESOLVER_OPTIONS',
    message: /clusterDomain 'a b'.*outerPortRange 10-5.*dnsUpstream entry 'nope'.*dnsTtl/,
  });
});

t.test('cached documents are frozen and shared until a change concerns them', async (t) => {
  const store = storeWith(shopObjects());
  const r = new Resolver(store);
  const web = r.mesh('shop', 'web');
  const tomcat = r.mesh('shop', 'tomcat');
  t.equal(r.mesh('shop', 'web'), web);
  t.ok(Object.isFrozen(web.ok && web.value.outbound[0]?.endpoints[0]));
  store.upsert('EndpointSlice', slice('cache', 'redis-1', 'redis', [{ ip: '127.0.1.22' }], [{ name: 'tcp-redis', port: 6379 }]));
  await tick();
  t.not(r.mesh('shop', 'web'), web, 'a dependency changed: rebuilt');
  t.equal(r.mesh('shop', 'tomcat'), tomcat, 'not a dependency of tomcat: kept');
});
