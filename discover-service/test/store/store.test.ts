import t from 'tap';
import type { KubeObject } from '@meshplug/plugin-api';
import { Store, objectKey, type ChangeBatch } from '../../src/store/store.js';

const svc = (ns: string, name: string, port = 80): KubeObject =>
  ({ kind: 'Service', metadata: { namespace: ns, name }, spec: { ports: [{ port }] } }) as KubeObject;

/** A store whose flushes run only when the test says so. */
function manualStore(): { store: Store; batches: ChangeBatch[]; tick: () => void } {
  let queued: (() => void) | undefined;
  const store = new Store({ schedule: (f) => (queued = f) });
  const batches: ChangeBatch[] = [];
  store.onChange((b) => batches.push(b));
  return {
    store,
    batches,
    tick: () => {
      const f = queued;
      queued = undefined;
      f?.();
    },
  };
}

t.test('several sink calls in one tick make one batch with the touched keys', async (t) => {
  const store = new Store();
  const batches: ChangeBatch[] = [];
  store.onChange((b) => batches.push(b));
  store.upsert('Service', svc('shop', 'web'));
  store.upsert('Service', svc('shop', 'tomcat'));
  store.upsert('ConfigMap', { metadata: { namespace: 'shop', name: 'cm' } });
  t.equal(batches.length, 0, 'not before the tick ends');
  await Promise.resolve();
  t.equal(batches.length, 1);
  const b = batches[0] as ChangeBatch;
  t.equal(b.generation, 1);
  t.same([...(b.changes.get('Service')?.keys() ?? [])], ['shop/web', 'shop/tomcat']);
  t.same([...(b.changes.get('ConfigMap')?.keys() ?? [])], ['shop/cm']);
  t.equal(store.size('Service'), 2);
  t.equal(store.get('Service', 'shop', 'web')?.metadata.name, 'web');
  t.equal(store.generation, 1);
});

t.test('the batch carries the object as it was before the batch', async (t) => {
  const { store, batches, tick } = manualStore();
  store.upsert('Service', svc('a', 's', 1));
  tick();
  store.upsert('Service', svc('a', 's', 2));
  store.upsert('Service', svc('a', 's', 3));
  store.upsert('Service', svc('a', 'new'));
  tick();
  const changes = batches[1]?.changes.get('Service');
  t.same((changes?.get('a/s') as unknown as { spec: unknown }).spec, { ports: [{ port: 1 }] });
  t.equal(changes?.get('a/new'), undefined);
  t.ok(changes?.has('a/new'));
});

t.test('writes that change nothing make no batch', async (t) => {
  const { store, batches, tick } = manualStore();
  store.replace('Service', [svc('a', 'x'), svc('a', 'y')]);
  tick();
  store.replace('Service', [svc('a', 'x'), svc('a', 'y')]);
  store.upsert('Service', svc('a', 'x'));
  store.remove('Service', svc('a', 'missing'));
  tick();
  t.equal(batches.length, 1);
  // Same uid + resourceVersion counts as unchanged even when the copy differs.
  store.upsert('Service', { metadata: { namespace: 'a', name: 'r', uid: 'u', resourceVersion: '5' } });
  tick();
  store.upsert('Service', { metadata: { namespace: 'a', name: 'r', uid: 'u', resourceVersion: '5', labels: {} } });
  tick();
  t.equal(batches.length, 2);
});

t.test('replace removes what is gone and keeps the rest', async (t) => {
  const { store, batches, tick } = manualStore();
  store.replace('Service', [svc('a', 'x'), svc('a', 'y')]);
  tick();
  store.replace('Service', [svc('a', 'y'), svc('a', 'z')]);
  tick();
  t.same([...store.list('Service')].map(objectKey).sort(), ['a/y', 'a/z']);
  t.same([...(batches[1]?.changes.get('Service')?.keys() ?? [])].sort(), ['a/x', 'a/z']);
  store.remove('Service', svc('a', 'y'));
  tick();
  t.same([...store.list('Service')].map(objectKey), ['a/z']);
  t.equal(store.generation, 3);
});

t.test('problems are recorded, deduplicated and cleared', async (t) => {
  const { store, batches, tick } = manualStore();
  store.problem('file:/x', { where: '/x:3', message: 'bad' });
  tick();
  store.problem('file:/x', { where: '/x:3', message: 'bad' });
  tick();
  t.equal(batches.length, 1);
  t.equal(batches[0]?.problemsChanged, true);
  t.same(store.problems().get('file:/x'), { where: '/x:3', message: 'bad' });
  store.problem('file:/x', undefined);
  store.problem('file:/x', undefined);
  tick();
  t.equal(batches.length, 2);
  t.equal(store.problems().size, 0);
});

t.test('flush emits pending changes at once; unsubscribe stops delivery', async (t) => {
  const { store, batches, tick } = manualStore();
  store.upsert('Service', svc('a', 'x'));
  store.flush();
  t.equal(batches.length, 1);
  tick();
  t.equal(batches.length, 1, 'the scheduled flush finds nothing left');
  const seen: number[] = [];
  const off = store.onChange((b) => seen.push(b.generation));
  store.upsert('Service', svc('a', 'y'));
  tick();
  off();
  store.upsert('Service', svc('a', 'z'));
  tick();
  t.same(seen, [2]);
});
