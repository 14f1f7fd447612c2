import t from 'tap';
import { keyToName, nameToKey, normalizeName } from '../../src/wire/name-key.js';

t.test('normalizeName lower-cases and drops one trailing dot', async (t) => {
  t.equal(normalizeName('TomCat.Shop.'), 'tomcat.shop');
  t.equal(normalizeName('tomcat'), 'tomcat');
  t.equal(normalizeName('.'), '');
});

t.test('nameToKey gives the wire form; keyToName reverses it', async (t) => {
  t.equal(nameToKey('Ab.c.'), '\x02ab\x01c\x00');
  t.equal(nameToKey('.'), '\x00');
  t.equal(keyToName(nameToKey('tomcat.shop.svc.cluster.local') as string), 'tomcat.shop.svc.cluster.local');
  t.equal(keyToName('\x00'), '.');
  t.equal(keyToName('\x03a.b\x00'), 'a\\046b');
});

t.test('invalid names have no key', async (t) => {
  t.equal(nameToKey('a..b'), undefined);
  t.equal(nameToKey('a'.repeat(64)), undefined);
  t.equal(nameToKey(Array.from({ length: 130 }, () => 'a').join('.')), undefined);
  t.equal(nameToKey('with space.x'), undefined);
});
