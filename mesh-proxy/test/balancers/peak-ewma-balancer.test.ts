import t from 'tap';
import { PeakEwmaBalancer, PEAK_EWMA_DECAY_MS } from '../../src/balancers/peak-ewma-balancer.js';
import type { BalancedEndpoint } from '../../src/balancers/balancer.js';
import { balancerConformance, drive, endpoints, fakeClock, seededRandom } from './balancer-conformance.js';

balancerConformance(t, 'peak_ewma');

const make = (seed: number) => {
  const clock = fakeClock();
  return { b: new PeakEwmaBalancer(seededRandom(seed), clock.now), clock };
};

t.test('prefers the fast endpoint', async (t) => {
  const { b, clock } = make(1);
  b.update(endpoints({ fast: 1, slow: 1 }));
  const latency = (e: BalancedEndpoint): number => (e.id === 'fast' ? 5 : 100);
  drive(b, 200, { clock, inFlight: 1, latencyMs: latency });
  const counts = drive(b, 1_000, { clock, inFlight: 1, latencyMs: latency });
  t.ok((counts.fast ?? 0) > 900, `fast picked ${counts.fast} of 1000`);
});

t.test('reacts to a latency spike at once and forgives it as it decays', async (t) => {
  const { b, clock } = make(2);
  const eps = endpoints({ a: 1, b: 1 });
  const [a, bb] = [eps[0]!, eps[1]!];
  b.update(eps);
  for (let i = 0; i < 20; i++) {
    b.onStart(a);
    b.onEnd(a, 10, true);
    b.onStart(bb);
    b.onEnd(bb, 20, true);
    clock.t += 100;
  }
  t.equal(b.pick()?.id, 'a', 'a is faster');
  b.onStart(a);
  b.onEnd(a, 2_000, true);
  t.equal(b.pick()?.id, 'b', 'one slow response moves traffic away at once');
  clock.t += PEAK_EWMA_DECAY_MS * 6;
  b.onStart(a);
  b.onEnd(a, 10, true);
  b.onStart(bb);
  b.onEnd(bb, 20, true);
  t.equal(b.pick()?.id, 'a', 'after the decay time a is preferred again');
});

t.test('weights divide the cost', async (t) => {
  const { b, clock } = make(3);
  const eps = endpoints({ a: 4, b: 1 });
  b.update(eps);
  for (const e of eps) {
    b.onStart(e);
    b.onEnd(e, e.id === 'a' ? 30 : 10, true);
  }
  clock.t += 1;
  t.equal(b.pick()?.id, 'a', '30 ms / 4 beats 10 ms / 1');
});

t.test('an endpoint without data: probed while idle, penalised while its first request is out', async (t) => {
  const { b } = make(4);
  const eps = endpoints({ known: 1, fresh: 1 });
  b.update(eps);
  b.onStart(eps[0]!);
  b.onEnd(eps[0]!, 50, true);
  t.equal(b.pick()?.id, 'fresh', 'cost 0 when idle and unknown');
  b.onStart(eps[1]!);
  for (let i = 0; i < 20; i++) t.equal(b.pick()?.id, 'known', 'no pile-up on an unanswered probe');
});

t.test('a failure never makes an endpoint look faster', async (t) => {
  const { b, clock } = make(5);
  const eps = endpoints({ a: 1, b: 1 });
  b.update(eps);
  b.onStart(eps[0]!);
  b.onEnd(eps[0]!, 30, true);
  b.onStart(eps[1]!);
  b.onEnd(eps[1]!, 40, true);
  clock.t += 1;
  for (let i = 0; i < 10; i++) {
    b.onStart(eps[1]!);
    b.onEnd(eps[1]!, 1, false);
    clock.t += 1_000;
    b.onStart(eps[0]!);
    b.onEnd(eps[0]!, 30, true);
  }
  // Counted as successes, ten 1 ms answers over 10 s would have pulled b to about 15 ms.
  t.equal(b.pick()?.id, 'a', 'fast failures of b kept its cost at 40 ms, above a at 30 ms');
});
