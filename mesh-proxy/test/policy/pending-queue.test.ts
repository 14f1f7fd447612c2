import t from 'tap';
import { PendingQueue } from '../../src/policy/pending-queue.js';
import { fakeTimers } from './fake-timers.js';

t.test('grants in FIFO order', async (t) => {
  const q = new PendingQueue(fakeTimers());
  const order: string[] = [];
  const waits = ['a', 'b', 'c'].map((id) => q.wait(1_000).then((o) => order.push(`${id}:${o}`)));
  t.equal(q.length, 3);
  t.equal(q.grant(), true);
  t.equal(q.grant(), true);
  await Promise.all(waits.slice(0, 2));
  t.same(order, ['a:acquired', 'b:acquired']);
  t.equal(q.length, 1);
  q.clear();
  await waits[2];
  t.same(order, ['a:acquired', 'b:acquired', 'c:aborted']);
  t.equal(q.grant(), false, 'nobody waits');
});

t.test('a waiter times out and is skipped by later grants', async (t) => {
  const timers = fakeTimers();
  const q = new PendingQueue(timers);
  const first = q.wait(100);
  const second = q.wait(500);
  timers.advance(100);
  t.equal(await first, 'timeout');
  t.equal(q.length, 1);
  t.equal(q.grant(), true);
  t.equal(await second, 'acquired');
  t.equal(timers.pending, 0, 'no timer left behind');
});

t.test('abort signal ends the wait, also when already aborted', async (t) => {
  const q = new PendingQueue(fakeTimers());
  const ac = new AbortController();
  const w = q.wait(1_000, ac.signal);
  ac.abort();
  t.equal(await w, 'aborted');
  t.equal(q.length, 0);
  t.equal(await q.wait(1_000, ac.signal), 'aborted');
  t.equal(q.grant(), false);
});

t.test('settled entries do not pile up under churn', async (t) => {
  const timers = fakeTimers();
  const q = new PendingQueue(timers);
  const keep = q.wait(1_000_000);
  for (let i = 0; i < 1_000; i++) {
    void q.wait(1);
    timers.advance(1);
  }
  t.equal(q.length, 1);
  t.ok((q as unknown as { items: unknown[] }).items.length <= 130, 'internal array compacted');
  t.equal(q.grant(), true);
  t.equal(await keep, 'acquired');
});
