import t from 'tap';
import { Backoff } from '../../src/client/backoff.js';

t.test('ceiling doubles from the base and stops at the cap', async (t) => {
  const b = new Backoff(250, 10_000);
  t.same([1, 2, 3, 4, 5, 6, 7, 8, 100, 5000].map((n) => b.ceiling(n)), [250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000]);
});

t.test('full jitter: delay is random * ceiling, attempts count, reset starts over', async (t) => {
  let r = 0.5;
  const b = new Backoff(100, 1000, () => r);
  t.same([b.next(), b.next(), b.next(), b.next(), b.next()], [50, 100, 200, 400, 500]);
  t.equal(b.attempt, 5);
  r = 0;
  t.equal(b.next(), 0, 'full jitter may retry at once');
  r = 0.999999;
  t.equal(b.next(), 999, 'never above the cap');
  b.reset();
  t.equal(b.attempt, 0);
  r = 0.5;
  t.equal(b.next(), 50);
});

t.test('a random source out of range is clamped', async (t) => {
  t.equal(new Backoff(100, 1000, () => 7).next(), 100);
  t.equal(new Backoff(100, 1000, () => -1).next(), 0);
});
