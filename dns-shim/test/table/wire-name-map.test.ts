import t from 'tap';
import { WireNameMap } from '../../src/table/wire-name-map.js';
import { hashWireName } from '../../src/wire/name-hash.js';
import { nameToKey } from '../../src/wire/name-key.js';

const key = (name: string): string => nameToKey(name)!;
const bytes = (name: string): Buffer => Buffer.from(key(name), 'latin1');
const find = <V>(map: WireNameMap<V>, name: string): V | undefined => {
  const b = bytes(name);
  return map.find(b, 0, hashWireName(b, 0, b.length));
};

t.test('finds names by their bytes, whatever the case; a second add of a name is refused', async (t) => {
  const map = new WireNameMap<number>();
  t.ok(map.add(key('tomcat.shop'), 1));
  t.ok(map.add(key('tomcat'), 2));
  t.notOk(map.add(key('TOMCAT.shop.'), 3));
  t.equal(map.size, 2);
  t.equal(find(map, 'Tomcat.Shop'), 1);
  t.equal(find(map, 'tomcat'), 2);
  t.equal(find(map, 'tomcat.sho'), undefined);
});

t.test('names whose hashes collide are told apart by their bytes', async (t) => {
  // Find two names with the same 30-bit hash (birthday bound: a few tens of thousands of tries).
  const seen = new Map<number, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; pair === undefined && i < 1_000_000; i++) {
    const name = `n${i}`;
    const b = bytes(name);
    const h = hashWireName(b, 0, b.length);
    const other = seen.get(h);
    if (other === undefined) seen.set(h, name);
    else pair = [other, name];
  }
  if (pair === undefined) throw new Error('no collision found');
  const map = new WireNameMap<string>();
  t.ok(map.add(key(pair[0]), pair[0]));
  t.ok(map.add(key(pair[1]), pair[1]), 'a colliding name is a different name');
  t.equal(find(map, pair[0]), pair[0]);
  t.equal(find(map, pair[1]), pair[1]);
});

t.test('keeps finding every name as it grows', async (t) => {
  const map = new WireNameMap<number>();
  const names = Array.from({ length: 1000 }, (_, i) => `svc-${i}.ns-${i % 7}.svc.cluster.local`);
  names.forEach((name, i) => t.ok(map.add(key(name), i) || t.fail(name)));
  t.equal(map.size, names.length);
  t.same(names.map((name) => find(map, name.toUpperCase())), names.map((_, i) => i));
  t.equal(find(map, 'svc-1000.ns-6.svc.cluster.local'), undefined);
});
