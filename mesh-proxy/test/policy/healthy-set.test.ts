import t from 'tap';
import { createBalancer } from '../../src/balancers/balancer.js';
import { excludeTried, healthyExclude, inPanic } from '../../src/policy/healthy-set.js';
import { OutlierDetector } from '../../src/policy/outlier-detector.js';

t.test('inPanic: below the threshold of healthy endpoints', async (t) => {
  t.equal(inPanic(4, 1, 50), false, '75% healthy');
  t.equal(inPanic(4, 2, 50), false, '50% healthy is not below 50');
  t.equal(inPanic(4, 3, 50), true, '25% healthy');
  t.equal(inPanic(4, 4, 0), false, '0 disables panic');
  t.equal(inPanic(0, 0, 50), false, 'an empty set is not in panic');
  t.equal(inPanic(10, 1, 100), true, '100: any ejection means panic');
});

const setup = (ids: string[], maxEjectionPercent = 100) => {
  const clock = { t: 0 };
  const d = new OutlierDetector({ consecutiveErrors: 1, baseEjectionTimeMs: 1_000, maxEjectionPercent, now: () => clock.t });
  d.update(ids);
  const b = createBalancer('round_robin');
  b.update(ids.map((id) => ({ id, weight: 1 })));
  return { d, b, clock };
};

t.test('healthyExclude: ejected endpoints are skipped until panic flips, then all take traffic', async (t) => {
  const { d, b, clock } = setup(['a', 'b', 'c', 'd']);
  t.equal(healthyExclude(d, 50), undefined, 'nothing ejected: no predicate, the fast path');
  d.recordFailure('a');
  const ex = healthyExclude(d, 50);
  t.ok(ex);
  const picked = new Set(Array.from({ length: 12 }, () => b.pick(ex)?.id));
  t.same([...picked].sort(), ['b', 'c', 'd']);
  d.recordFailure('b');
  t.ok(healthyExclude(d, 50), '2 of 4 healthy = 50%: not in panic');
  d.recordFailure('c');
  t.equal(healthyExclude(d, 50), undefined, '1 of 4 healthy: panic, ejection ignored');
  t.ok(healthyExclude(d, 0), 'threshold 0: never panic');
  t.equal(b.pick(healthyExclude(d, 0))?.id, 'd');
  clock.t += 1_000;
  t.equal(healthyExclude(d, 50), undefined, 'all returned after the ejection time');
});

t.test('one endpoint ejected alone: panic keeps it serving unless the threshold is 0', async (t) => {
  const { d, b } = setup(['only'], 10);
  t.equal(d.recordFailure('only'), true);
  t.equal(b.pick(healthyExclude(d, 50))?.id, 'only');
  t.equal(b.pick(healthyExclude(d, 0)), undefined);
});

t.test('excludeTried sends a retry elsewhere, on top of ejection', async (t) => {
  const { d, b } = setup(['a', 'b', 'c']);
  const tried = new Set(['b']);
  t.same(
    new Set(Array.from({ length: 6 }, () => b.pick(excludeTried(undefined, tried))?.id)),
    new Set(['a', 'c']),
  );
  d.recordFailure('a');
  const ex = excludeTried(healthyExclude(d, 0), tried);
  t.same(new Set(Array.from({ length: 6 }, () => b.pick(ex)?.id)), new Set(['c']));
  tried.add('c');
  t.equal(b.pick(ex), undefined, 'nothing left: the caller falls back to the base predicate');
});
