import t from 'tap';
import { LeastRequestBalancer } from '../../src/balancers/least-request-balancer.js';
import { balancerConformance, endpoints, seededRandom } from './balancer-conformance.js';

balancerConformance(t, 'least_request');

t.test('prefers the idle endpoint', async (t) => {
  const b = new LeastRequestBalancer(seededRandom(1));
  const eps = endpoints({ busy: 1, idle: 1 });
  b.update(eps);
  for (let i = 0; i < 5; i++) b.onStart(eps[0]!);
  for (let i = 0; i < 100; i++) t.equal(b.pick()?.id, 'idle');
  // Once the busy one drains below the idle one, it wins again.
  for (let i = 0; i < 5; i++) b.onEnd(eps[0]!, 1, true);
  b.onStart(eps[1]!);
  t.equal(b.pick()?.id, 'busy');
});

t.test('among many endpoints, a busy one is never chosen over an idle candidate', async (t) => {
  const b = new LeastRequestBalancer(seededRandom(2));
  const eps = endpoints({ a: 1, b: 1, c: 1, d: 1, e: 1 });
  b.update(eps);
  b.onStart(eps[2]!);
  for (let i = 0; i < 1_000; i++) t.not(b.pick()?.id, 'c');
});

t.test('active counts survive an update and compare per unit of weight', async (t) => {
  const b = new LeastRequestBalancer(seededRandom(3));
  b.update(endpoints({ a: 1, b: 1 }));
  const a = { id: 'a', weight: 1 };
  b.onStart(a);
  b.update(endpoints({ b: 1, a: 1 }));
  for (let i = 0; i < 20; i++) t.equal(b.pick()?.id, 'b');
  // With weight 4, two active on a cost 0.5 per weight against 1 on b.
  b.update(endpoints({ a: 4, b: 1 }));
  b.onStart(a);
  b.onStart({ id: 'b', weight: 1 });
  for (let i = 0; i < 20; i++) t.equal(b.pick()?.id, 'a');
});

t.test('onEnd never drives the count below zero', async (t) => {
  const b = new LeastRequestBalancer(seededRandom(4));
  const eps = endpoints({ a: 1, b: 1 });
  b.update(eps);
  b.onEnd(eps[0]!, 1, true);
  b.onEnd(eps[0]!, 1, true);
  b.onStart(eps[1]!);
  t.equal(b.pick()?.id, 'a');
});
