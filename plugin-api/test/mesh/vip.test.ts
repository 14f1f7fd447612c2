import t from 'tap';
import { allocateVips, homeVip } from '../../src/mesh/vip.js';

const keys = (n: number, prefix = 'ns'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i % 50}/svc-${i}`);

function inRange(vip: string): boolean {
  const parts = vip.split('.').map(Number);
  const [a, x, y, z] = parts as [number, number, number, number];
  return parts.length === 4 && a === 127 && x >= 1 && x <= 255 && y >= 0 && y <= 255 && z >= 1 && z <= 254;
}

/** Finds two keys with the same home VIP: about sqrt(16.5M) tries. */
function collidingPair(): [string, string] {
  const seen = new Map<string, string>();
  for (let i = 0; i < 200_000; i++) {
    const k = `c/k${i}`;
    const v = homeVip(k);
    const other = seen.get(v);
    if (other !== undefined) return [other, k];
    seen.set(v, k);
  }
  throw new Error('no collision found');
}

t.test('unique and in range over 20,000 keys', async (t) => {
  const m = allocateVips(keys(20_000));
  t.equal(m.size, 20_000);
  const vips = new Set(m.values());
  t.equal(vips.size, 20_000);
  t.ok([...vips].every(inRange), 'all in 127.1.0.1-127.255.255.254, no .0/.255');
});

t.test('identical for the same key set in any order', async (t) => {
  const ks = keys(2_000);
  const a = allocateVips(ks);
  const b = allocateVips([...ks].reverse());
  const c = allocateVips([...ks].sort(() => Math.random() - 0.5).concat(ks.slice(0, 10)));
  t.same([...b], [...a]);
  t.same([...c], [...a]);
});

t.test('stable when unrelated keys are added or removed', async (t) => {
  const ks = keys(3_000);
  const a = allocateVips(ks);
  const b = allocateVips([...ks.slice(500), ...keys(3_000, 'other')]);
  const moved = ks.slice(500).filter((k) => a.get(k) === homeVip(k) && b.get(k) !== a.get(k));
  t.same(moved, [], 'no key at its home VIP moved');
});

t.test('direct collisions are settled by key order, deterministically', async (t) => {
  const [k1, k2] = collidingPair();
  const [first, second] = [k1, k2].sort() as [string, string];
  const m = allocateVips([second, first]);
  t.equal(m.get(first), homeVip(first), 'the lower key keeps its home');
  t.not(m.get(second), m.get(first));
  t.ok(inRange(m.get(second) as string));
  t.same([...allocateVips([first, second])], [...m]);
  // Without its rival the second key gets its home back.
  t.equal(allocateVips([second]).get(second), homeVip(second));
});
