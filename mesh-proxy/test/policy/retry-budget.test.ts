import t from 'tap';
import { RetryBudget } from '../../src/policy/retry-budget.js';

const setup = (ratio = 0.2, minRetriesPerSecond = 0) => {
  const clock = { t: 5_000 };
  return { budget: new RetryBudget({ ratio, minRetriesPerSecond, windowMs: 10_000, now: () => clock.t }), clock };
};

t.test('retries are limited to ratio x requests in the window', async (t) => {
  const { budget } = setup(0.2);
  t.equal(budget.tryRetry(), false, 'no requests, no reserve: no retry');
  for (let i = 0; i < 50; i++) budget.recordRequest();
  t.equal(budget.available(), 10);
  const granted = Array.from({ length: 15 }, () => budget.tryRetry()).filter(Boolean).length;
  t.equal(granted, 10);
  t.same(budget.stats(), { retriesAllowed: 10, retriesDenied: 6 });
});

t.test('minRetriesPerSecond gives a reserve for quiet services', async (t) => {
  const { budget } = setup(0.2, 3);
  t.equal(budget.available(), 30, '3/s over a 10 s window');
  for (let i = 0; i < 30; i++) t.equal(budget.tryRetry(), true);
  t.equal(budget.tryRetry(), false);
});

t.test('counts expire with the window, slice by slice', async (t) => {
  const { budget, clock } = setup(0.5);
  for (let i = 0; i < 10; i++) budget.recordRequest();
  clock.t += 5_000;
  for (let i = 0; i < 10; i++) budget.recordRequest();
  t.equal(budget.available(), 10);
  for (let i = 0; i < 10; i++) budget.tryRetry();
  t.equal(budget.available(), 0);
  clock.t += 5_000;
  t.equal(budget.available(), 0, 'the first 10 requests expired, the 10 retries still count');
  clock.t += 5_000;
  t.equal(budget.available(), 0, 'everything expired');
  for (let i = 0; i < 4; i++) budget.recordRequest();
  t.equal(budget.available(), 2);
  clock.t += 60_000;
  t.equal(budget.available(), 0, 'a long gap clears the whole ring');
});

t.test('invalid options throw', async (t) => {
  t.throws(() => new RetryBudget({ ratio: -1 }), { code: 'MESH_ERR_INVALID_OPTIONS', message: /ratio/ });
  t.throws(() => new RetryBudget({ windowMs: 0 }), { code: 'MESH_ERR_INVALID_OPTIONS', message: /windowMs/ });
});
