import t from 'tap';
import type { KubeObject } from '@meshplug/plugin-api';
import { identityDiff } from '../../src/sources/identity-diff.js';

const obj = (name: string, v = 1): KubeObject => ({ kind: 'Service', metadata: { name, namespace: 'x' }, spec: { v } }) as unknown as KubeObject;

t.test('unchanged objects (same identity) are left out; changed, new and gone ones are found', async (t) => {
  const a = obj('a');
  const b = obj('b');
  const c = obj('c');
  const b2 = obj('b', 2);
  const d = obj('d');
  const diff = identityDiff([a, b, c], [a, b2, d]);
  t.equal(diff.upserts.length, 2);
  t.equal(diff.upserts[0], b2, 'a changed object is an upsert');
  t.equal(diff.upserts[1], d, 'a new object is an upsert');
  t.strictSame(diff.removals, [c], 'only the object whose key is gone is removed; the replaced b is not');
  t.strictSame(identityDiff([a, b], [b, a]), { upserts: [], removals: [] }, 'order does not matter');
  t.strictSame(identityDiff([a], []), { upserts: [], removals: [a] });
});
