import t from 'tap';
import type { KubeObject } from '@meshplug/plugin-api';
import { Resolver } from '../../src/resolve/resolver.js';
import type { ObjectKind } from '../../src/sources/source.js';
import { Store } from '../../src/store/store.js';
import { TEST_PLUGIN, componentConfigMap, pluginConfigMap, service, slice, tick } from './fixtures.js';

const SERVICES = 10_000;
const COMPONENTS = 1_000;
const name = (i: number): string => `svc-${i}`;
const ns = (i: number): string => `ns-${i % 20}`;
const deps = (c: number): number[] => [(c * 7 + 1) % SERVICES, (c * 13 + 2) % SERVICES, (c * 31 + 3) % SERVICES];

t.test('10,000 Services, 1,000 components: a change rebuilds only what it concerns', async (t) => {
  const store = new Store();
  const objects: { kind: ObjectKind; objects: KubeObject[] }[] = [
    { kind: 'Service', objects: [...Array(SERVICES).keys()].map((i) => service(ns(i), name(i), [{ name: 'http', port: 8080 }])) },
    {
      kind: 'EndpointSlice',
      objects: [...Array(SERVICES).keys()].map((i) => slice(ns(i), `${name(i)}-1`, name(i), [{ ip: `10.${(i >> 8) & 255}.${i & 255}.1` }])),
    },
    {
      kind: 'ConfigMap',
      objects: [
        pluginConfigMap(TEST_PLUGIN),
        ...[...Array(COMPONENTS).keys()].map((c) =>
          componentConfigMap(ns(c), name(c), {
            dependencies: deps(c).map((d) => `${name(d)}.${ns(d)}`),
            plugins: [{ name: 'tester', version: '2.0.0' }],
          }),
        ),
      ],
    },
  ];
  // As a source's first list: one replace per kind, one batch.
  for (const { kind, objects: list } of objects) store.replace(kind, list);
  const r = new Resolver(store);
  t.equal(r.services().length, SERVICES);
  t.equal(r.components().length, COMPONENTS);
  t.same(r.errors(), []);
  const docs = [...Array(COMPONENTS).keys()].map((c) => r.mesh(ns(c), name(c)));
  t.ok(docs.every((d) => d.ok && d.value.outbound.length === 3 && d.value.outbound.every((o) => o.endpoints.length === 1)));

  // Change the endpoints of one Service: only its dependents get new documents.
  const target = deps(5)[0] as number;
  const dependents = new Set([...Array(COMPONENTS).keys()].filter((c) => deps(c).includes(target)));
  store.upsert('EndpointSlice', slice(ns(target), `${name(target)}-1`, name(target), [{ ip: '10.255.255.1' }, { ip: '10.255.255.2' }]));
  await tick();
  const rebuilt = [...Array(COMPONENTS).keys()].filter((c) => r.mesh(ns(c), name(c)) !== docs[c]);
  t.same(rebuilt, [...dependents].sort((a, b) => a - b), 'exactly the dependents are rebuilt');

  // A new unrelated Service: VIPs of others stay, so no document changes version.
  const versions = [...Array(COMPONENTS).keys()].map((c) => r.mesh(ns(c), name(c)));
  store.upsert('Service', service('fresh', 'new-one', [{ port: 80 }]));
  await tick();
  const changed = [...Array(COMPONENTS).keys()].filter((c) => {
    const before = versions[c];
    const after = r.mesh(ns(c), name(c));
    return before?.ok && after.ok && before.version !== after.version;
  });
  t.same(changed, [], 'no version changed');
});
