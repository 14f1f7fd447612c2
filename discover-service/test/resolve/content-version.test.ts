import t from 'tap';
import { canonicalJson, contentVersion } from '../../src/resolve/content-version.js';

t.test('key order does not matter, content does', async (t) => {
  t.equal(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: undefined } }), '{"a":{"d":[2,{"x":0,"y":1}]},"b":1}');
  t.equal(contentVersion({ a: 1, b: 2 }), contentVersion({ b: 2, a: 1 }));
  t.not(contentVersion({ a: 1 }), contentVersion({ a: 2 }));
  t.match(contentVersion({}), /^[A-Za-z0-9_-]{16}$/);
});

t.test('canonical JSON equals JSON.stringify of a key-sorted copy, whatever is already in order', async (t) => {
  const reference = (value: unknown): string =>
    JSON.stringify(value, (_key, v: unknown) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    });
  const values: unknown[] = [
    { a: 1, b: { d: 1, c: 2 }, e: [{ g: 1, f: 2 }, 3, undefined, null] },
    { a: [1, 2], b: { c: { e: 1, d: 2 } } },
    { z: 'é"\n', y: Number.NaN, x: Number.POSITIVE_INFINITY, w: -0, v: new Date(0), u: () => 1, t: true },
    [{ b: 1, a: 2 }, 'x', [{ d: 1, c: 1 }]],
    'text',
    7,
    null,
  ];
  for (const value of values) t.equal(canonicalJson(value), reference(value), JSON.stringify(value));
  const inOrder = { a: 1, b: [{ c: 1 }] };
  canonicalJson(inOrder);
  t.strictSame(Object.keys(inOrder), ['a', 'b'], 'the input is never changed');
});
