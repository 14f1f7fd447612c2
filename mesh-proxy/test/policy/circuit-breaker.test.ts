import t from 'tap';
import { CircuitBreaker, type CircuitBreakerLimits } from '../../src/policy/circuit-breaker.js';
import { fakeTimers } from './fake-timers.js';

const limits = (over: Partial<CircuitBreakerLimits> = {}): CircuitBreakerLimits => ({
  maxConnections: 2,
  maxPendingRequests: 1,
  maxRequests: 3,
  maxActiveRetries: 1,
  ...over,
});

t.test('requests: acquire up to MaxRequests, overflow counted, release frees', async (t) => {
  const cb = new CircuitBreaker(limits());
  t.same([cb.tryAcquireRequest(), cb.tryAcquireRequest(), cb.tryAcquireRequest()], [true, true, true]);
  t.equal(cb.tryAcquireRequest(), false);
  t.equal(cb.tryAcquireRequest(), false);
  cb.releaseRequest();
  t.equal(cb.tryAcquireRequest(), true);
  t.match(cb.snapshot(), { active: { requests: 3 }, overflows: { requests: 2 } });
});

t.test('retries: MaxActiveRetries', async (t) => {
  const cb = new CircuitBreaker(limits());
  t.equal(cb.tryAcquireRetry(), true);
  t.equal(cb.tryAcquireRetry(), false);
  cb.releaseRetry();
  t.equal(cb.tryAcquireRetry(), true);
  t.match(cb.snapshot(), { active: { retries: 1 }, overflows: { retries: 1 } });
});

t.test('pending (for self-queueing pools): MaxPendingRequests', async (t) => {
  const cb = new CircuitBreaker(limits({ maxPendingRequests: 2 }));
  t.same([cb.tryAcquirePending(), cb.tryAcquirePending(), cb.tryAcquirePending()], [true, true, false]);
  cb.releasePending();
  t.equal(cb.tryAcquirePending(), true);
  t.match(cb.snapshot(), { active: { pending: 2 }, overflows: { pending: 1 } });
});

t.test('releases never go below zero', async (t) => {
  const cb = new CircuitBreaker(limits());
  cb.releaseRequest();
  cb.releaseRetry();
  cb.releaseConnection();
  cb.releasePending();
  t.same(cb.snapshot().active, { connections: 0, pending: 0, requests: 0, retries: 0 });
});

t.test('connections: wait in the pending queue, FIFO, handed over on release', async (t) => {
  const timers = fakeTimers();
  const cb = new CircuitBreaker(limits({ maxPendingRequests: 2 }), { timers });
  t.equal(await cb.acquireConnection(100), 'acquired');
  t.equal(await cb.acquireConnection(100), 'acquired');
  const third = cb.acquireConnection(100);
  const fourth = cb.acquireConnection(100);
  t.equal(await cb.acquireConnection(100), 'overflow', 'pending queue full');
  t.match(cb.snapshot(), { active: { connections: 2, pending: 2 }, overflows: { pending: 1 } });
  cb.releaseConnection();
  t.equal(await third, 'acquired', 'the slot goes to the oldest waiter');
  t.match(cb.snapshot(), { active: { connections: 2, pending: 1 } });
  timers.advance(100);
  t.equal(await fourth, 'timeout');
  t.match(cb.snapshot(), { active: { connections: 2, pending: 0 } });
  cb.releaseConnection();
  cb.releaseConnection();
  t.equal(cb.snapshot().active.connections, 0);
});

t.test('MaxPendingRequests 0 refuses to queue', async (t) => {
  const cb = new CircuitBreaker(limits({ maxConnections: 1, maxPendingRequests: 0 }), { timers: fakeTimers() });
  t.equal(await cb.acquireConnection(100), 'acquired');
  t.equal(await cb.acquireConnection(100), 'overflow');
});

t.test('setLimits: raising serves waiters, lowering cuts nothing but stops handing over', async (t) => {
  const cb = new CircuitBreaker(limits({ maxConnections: 1, maxPendingRequests: 5 }), { timers: fakeTimers() });
  t.equal(await cb.acquireConnection(100), 'acquired');
  const a = cb.acquireConnection(100);
  const b = cb.acquireConnection(100);
  cb.setLimits(limits({ maxConnections: 2, maxPendingRequests: 5 }));
  t.equal(await a, 'acquired');
  t.equal(cb.snapshot().active.connections, 2);
  cb.setLimits(limits({ maxConnections: 1, maxPendingRequests: 5 }));
  cb.releaseConnection();
  t.equal(cb.snapshot().active.connections, 1, 'over the new limit: the slot is given up, not handed to b');
  cb.releaseConnection();
  t.equal(await b, 'acquired', 'under the limit again: handed over');
  t.equal(cb.snapshot().active.connections, 1);
  cb.abortWaiters();
});

t.test('abortWaiters ends every wait', async (t) => {
  const cb = new CircuitBreaker(limits({ maxConnections: 0, maxPendingRequests: 3 }), { timers: fakeTimers() });
  const waits = [cb.acquireConnection(100), cb.acquireConnection(100)];
  cb.abortWaiters();
  t.same(await Promise.all(waits), ['aborted', 'aborted']);
  t.equal(cb.snapshot().active.pending, 0);
});

t.test('invalid limits throw MESH_ERR_INVALID_OPTIONS', async (t) => {
  t.throws(() => new CircuitBreaker(limits({ maxRequests: -1 })), { code: 'MESH_ERR_INVALID_OPTIONS', message: /maxRequests/ });
  t.throws(() => new CircuitBreaker(limits({ maxConnections: 1.5 })), { code: 'MESH_ERR_INVALID_OPTIONS' });
});
