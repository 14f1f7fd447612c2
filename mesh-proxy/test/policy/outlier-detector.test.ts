import t from 'tap';
import { OutlierDetector, type OutlierDetectorOptions } from '../../src/policy/outlier-detector.js';

const setup = (over: Partial<OutlierDetectorOptions> = {}, ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']) => {
  const clock = { t: 1_000_000 };
  const d = new OutlierDetector({
    consecutiveErrors: 3,
    baseEjectionTimeMs: 1_000,
    maxEjectionPercent: 50,
    now: () => clock.t,
    ...over,
  });
  d.update(ids);
  return { d, clock };
};

const fail = (d: OutlierDetector, id: string, n: number): boolean[] => Array.from({ length: n }, () => d.recordFailure(id));

t.test('ejects after ConsecutiveErrors failures in a row; a success resets the run', async (t) => {
  const { d } = setup();
  t.same(fail(d, 'a', 2), [false, false]);
  d.recordSuccess('a');
  t.same(fail(d, 'a', 2), [false, false]);
  t.equal(d.isEjected('a'), false);
  t.equal(d.recordFailure('a'), true, 'third in a row ejects');
  t.equal(d.isEjected('a'), true);
  t.equal(d.isEjectedEndpoint({ id: 'a', weight: 1 }), true);
  t.equal(d.isEjected('b'), false);
  t.equal(d.ejectedCount(), 1);
  t.equal(d.recordFailure('a'), false, 'failures while ejected are ignored');
});

t.test('returns after the base time; the next ejection lasts base * n, capped', async (t) => {
  const { d, clock } = setup({ maxEjectionTimeMs: 2_500 });
  fail(d, 'a', 3);
  t.equal(d.snapshot().hosts[0]!.ejectedUntil, clock.t + 1_000);
  clock.t += 999;
  t.equal(d.isEjected('a'), true);
  clock.t += 1;
  t.equal(d.isEjected('a'), false, 'back after 1 x base');
  fail(d, 'a', 3);
  clock.t += 1_999;
  t.equal(d.isEjected('a'), true, 'second ejection lasts 2 x base');
  clock.t += 1;
  t.equal(d.isEjected('a'), false);
  fail(d, 'a', 3);
  t.equal(d.snapshot().hosts[0]!.ejectedUntil, clock.t + 2_500, 'third would be 3 x base, capped at 2500');
  const snap = d.snapshot();
  t.match(snap.hosts[0], { id: 'a', ejected: true, consecutiveFailures: 0, ejectionCount: 3 });
  t.match(snap, { ejectedCount: 1, ejectionsTotal: 3, ejectionsOverflow: 0 });
});

t.test('the multiplier decays while the endpoint stays healthy', async (t) => {
  const { d, clock } = setup();
  fail(d, 'a', 3);
  clock.t += 1_000;
  fail(d, 'a', 3);
  clock.t += 2_000;
  t.equal(d.isEjected('a'), false);
  // Healthy for two base periods: multiplier 2 -> 0, so the next ejection is 1 x base again.
  clock.t += 2_000;
  fail(d, 'a', 3);
  t.equal(d.snapshot().hosts[0]!.ejectedUntil, clock.t + 1_000);
});

t.test('MaxEjectionPercent caps ejections; overflow is counted', async (t) => {
  const { d } = setup({ maxEjectionPercent: 20 });
  t.equal(fail(d, 'a', 3)[2], true);
  t.equal(fail(d, 'b', 3)[2], true, '2 of 10 = 20%');
  t.equal(fail(d, 'c', 3)[2], false, '3 of 10 would exceed 20%');
  t.equal(d.isEjected('c'), false);
  t.equal(d.snapshot().ejectionsOverflow, 1);
  t.equal(d.recordFailure('c'), false, 'every further failure tries again and overflows again');
  t.equal(d.snapshot().ejectionsOverflow, 2);
});

t.test('at least one endpoint may be ejected when none is, whatever the percent (> 0)', async (t) => {
  const single = setup({ maxEjectionPercent: 10 }, ['only']);
  t.equal(fail(single.d, 'only', 3)[2], true, '1 endpoint, 10%: still ejected (the panic threshold keeps it in use)');
  const small = setup({ maxEjectionPercent: 10 }, ['a', 'b', 'c']);
  t.equal(fail(small.d, 'a', 3)[2], true);
  t.equal(fail(small.d, 'b', 3)[2], false, 'but only one: 2 of 3 is over 10%');
  const off = setup({ maxEjectionPercent: 0 }, ['a', 'b']);
  t.equal(fail(off.d, 'a', 3)[2], false, '0% never ejects');
  const none = setup({ consecutiveErrors: 0 }, ['a', 'b']);
  t.same(fail(none.d, 'a', 10).filter(Boolean), [], 'ConsecutiveErrors 0 disables ejection');
});

t.test('update forgets removed endpoints and keeps the state of those that stay', async (t) => {
  const { d, clock } = setup({}, ['a', 'b', 'c']);
  fail(d, 'a', 3);
  fail(d, 'b', 2);
  d.update(['a', 'b', 'x']);
  t.equal(d.isEjected('a'), true);
  t.equal(d.snapshot().hosts.find((h) => h.id === 'b')?.consecutiveFailures, 2);
  t.equal(d.recordFailure('c'), false, 'unknown ids are ignored');
  d.update(['b', 'x']);
  t.equal(d.ejectedCount(), 0, 'the ejected endpoint left the set');
  d.update(['a', 'b', 'x']);
  t.equal(d.isEjected('a'), false, 'a re-added endpoint starts fresh');
  clock.t += 1;
  t.same(
    d.snapshot().hosts.map((h) => h.id),
    ['a', 'b', 'x'],
  );
});

t.test('reconfigure applies new thresholds and keeps ejections', async (t) => {
  const { d } = setup();
  fail(d, 'a', 3);
  d.reconfigure({ consecutiveErrors: 1, baseEjectionTimeMs: 1_000, maxEjectionPercent: 50 });
  t.equal(d.isEjected('a'), true);
  t.equal(d.recordFailure('b'), true, 'one failure is enough now');
});

t.test('invalid options throw MESH_ERR_INVALID_OPTIONS naming the field', async (t) => {
  t.throws(() => setup({ baseEjectionTimeMs: 0 }), { code: 'MESH_ERR_INVALID_OPTIONS', message: /baseEjectionTimeMs/ });
  t.throws(() => setup({ maxEjectionPercent: 101 }), { code: 'MESH_ERR_INVALID_OPTIONS', message: /maxEjectionPercent/ });
  t.throws(() => setup({ consecutiveErrors: -1 }), { code: 'MESH_ERR_INVALID_OPTIONS', message: /consecutiveErrors/ });
});
