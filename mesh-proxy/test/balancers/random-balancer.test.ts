import t from 'tap';
import { RandomBalancer } from '../../src/balancers/random-balancer.js';
import { balancerConformance, endpoints, seededRandom } from './balancer-conformance.js';

balancerConformance(t, 'random');

t.test('a pick maps the random number onto cumulative weights', async (t) => {
  const values = [0, 0.49, 0.5, 0.99];
  const b = new RandomBalancer(() => values.shift() ?? 0);
  b.update(endpoints({ a: 1, b: 1 }));
  t.same([b.pick()?.id, b.pick()?.id, b.pick()?.id, b.pick()?.id], ['a', 'a', 'b', 'b']);
});

t.test('ignores load: a busy endpoint keeps its share', async (t) => {
  const b = new RandomBalancer(seededRandom(3));
  b.update(endpoints({ a: 1, b: 1 }));
  const busy = b.pick((e) => e.id !== 'a')!;
  for (let i = 0; i < 50; i++) b.onStart(busy);
  let a = 0;
  for (let i = 0; i < 2_000; i++) if (b.pick()?.id === 'a') a += 1;
  t.ok(a > 900 && a < 1_100, `a picked ${a} of 2000`);
});
