import t from 'tap';
import type { KubeObject } from '@meshplug/plugin-api';
import { KubeKindMerger } from '../../src/sources/kube-kind-merger.js';
import { CallLogSink } from './kube-test-kit.js';

function cm(name: string, rv: string, labels: Record<string, string> = {}): KubeObject {
  return { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name, namespace: 'ns', resourceVersion: rv, labels } };
}

t.test('one informer: upserts, same-version duplicates dropped, removes', async (t) => {
  const sink = new CallLogSink();
  const merger = new KubeKindMerger('ConfigMap', sink);
  merger.upsert('a', cm('x', '1'));
  merger.upsert('a', cm('x', '1'));
  merger.upsert('a', cm('x', '2'));
  t.equal(sink.count('upsert', 'ConfigMap'), 2, 'the same resourceVersion is not sent twice');
  merger.remove('a', cm('x', '3'));
  merger.remove('a', cm('x', '3'));
  t.equal(sink.count('remove', 'ConfigMap'), 1);
  t.same(sink.keys('ConfigMap'), []);
});

t.test('several informers: an object stays while any informer holds it', async (t) => {
  const sink = new CallLogSink();
  const merger = new KubeKindMerger('ConfigMap', sink);
  merger.upsert('plugins', cm('both', '1'));
  merger.upsert('components', cm('both', '1'));
  t.equal(sink.count('upsert', 'ConfigMap'), 1);
  merger.remove('plugins', cm('both', '2'));
  t.same(sink.keys('ConfigMap'), ['ns/both']);
  t.equal(sink.count('remove', 'ConfigMap'), 0);
  merger.remove('components', cm('both', '3'));
  t.same(sink.keys('ConfigMap'), []);
});

t.test("a relist replaces only that informer's share and sends the union with replace()", async (t) => {
  const sink = new CallLogSink();
  const merger = new KubeKindMerger('ConfigMap', sink);
  merger.replace('plugins', [cm('p1', '1'), cm('p2', '2')]);
  merger.replace('components', [cm('c1', '3')]);
  t.same(sink.keys('ConfigMap'), ['ns/c1', 'ns/p1', 'ns/p2']);
  merger.replace('plugins', [cm('p2', '4')]);
  t.same(sink.keys('ConfigMap'), ['ns/c1', 'ns/p2']);
  t.equal(sink.get('ConfigMap', 'ns', 'p2')?.metadata.resourceVersion, '4');
  // What the library does right after a relist (add/update/delete callbacks) is already known: nothing more is sent.
  const calls = sink.log.length;
  merger.upsert('plugins', cm('p2', '4'));
  merger.remove('plugins', cm('p1', '1'));
  t.equal(sink.log.length, calls);
});
