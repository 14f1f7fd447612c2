import t from 'tap';
import { RoundRobinBalancer } from '../../src/balancers/round-robin-balancer.js';
import { balancerConformance, endpoints } from './balancer-conformance.js';

balancerConformance(t, 'round_robin');

const sequence = (b: RoundRobinBalancer, n: number, exclude?: (e: { id: string }) => boolean): string =>
  Array.from({ length: n }, () => b.pick(exclude)?.id ?? '-').join(' ');

t.test('smooth weighted round robin interleaves by weight (nginx sequence)', async (t) => {
  const b = new RoundRobinBalancer();
  b.update(endpoints({ a: 5, b: 1, c: 1 }));
  t.equal(sequence(b, 14), 'a a b a c a a a a b a c a a');
});

t.test('equal weights rotate in order; exclusion skips without disturbing the rotation', async (t) => {
  const b = new RoundRobinBalancer();
  b.update(endpoints({ a: 1, b: 1, c: 1 }));
  t.equal(sequence(b, 6), 'a b c a b c');
  t.equal(sequence(b, 4, (e) => e.id === 'b'), 'a c a c');
  t.equal(sequence(b, 3), 'a b c');
});

t.test('an update keeps the position of endpoints that stay', async (t) => {
  const b = new RoundRobinBalancer();
  b.update(endpoints({ a: 1, b: 1 }));
  t.equal(sequence(b, 1), 'a');
  // Same ids, new objects (a config re-apply): b is still owed its turn.
  const next = endpoints({ a: 1, b: 1, c: 1 });
  b.update(next);
  t.equal(sequence(b, 1), 'b');
  t.equal(b.pick(), next[2], 'returns the objects of the latest update');
});
