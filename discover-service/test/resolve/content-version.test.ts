import t from 'tap';
import { canonicalJson, contentVersion } from '../../src/resolve/content-version.js';

t.test('key order does not matter, content does', async (t) => {
  t.equal(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: undefined } }), '{"a":{"d":[2,{"x":0,"y":1}]},"b":1}');
  t.equal(contentVersion({ a: 1, b: 2 }), contentVersion({ b: 2, a: 1 }));
  t.not(contentVersion({ a: 1 }), contentVersion({ a: 2 }));
  t.match(contentVersion({}), /^[A-Za-z0-9_-]{16}$/);
});
