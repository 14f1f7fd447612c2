import t from 'tap';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DiscoverClient } from '../../src/client/discover-client.js';
import type { MeshplugError } from '../../src/errors/mesh-error.js';
import { FakeDiscoverServer, ManualTimers } from './fake-discover-server.js';

type Doc = { n: number };

async function fake(t: { teardown(fn: () => unknown): void }, version = 'v1'): Promise<FakeDiscoverServer> {
  const s = new FakeDiscoverServer({ n: 1 }, version);
  await s.listen();
  t.teardown(() => s.close());
  return s;
}

/** Collects updates and errors; `next()` resolves on the next update. */
function recorder() {
  const updates: [Doc, string][] = [];
  const errors: { code: string; attempt: number; retryInMs: number }[] = [];
  const waiters: (() => void)[] = [];
  const errWaiters: (() => void)[] = [];
  return {
    updates,
    errors,
    onUpdate(body: Doc, version: string) {
      updates.push([body, version]);
      for (const w of waiters.splice(0)) w();
    },
    onError(err: MeshplugError, attempt: number, retryInMs: number) {
      errors.push({ code: err.code, attempt, retryInMs });
      for (const w of errWaiters.splice(0)) w();
    },
    async updatesReach(n: number) {
      while (updates.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    async errorsReach(n: number) {
      while (errors.length < n) await new Promise<void>((resolve) => errWaiters.push(resolve));
    },
  };
}

t.test('successive versions arrive in order; applied version is sent on each poll', async (t) => {
  const s = await fake(t);
  const c = new DiscoverClient({ baseUrl: s.url, headers: { 'x-meshplug-proxy-id': 'p' } });
  const r = recorder();
  let applied: string | undefined;
  const w = c.watch<Doc>('/v1/mesh/a/b', {
    onUpdate: (body, v) => {
      r.onUpdate(body, v);
      applied = v;
    },
    appliedVersion: () => applied,
  });
  await r.updatesReach(1);
  await s.waitForRequests(2);
  s.publish({ n: 2 }, 'v2');
  await r.updatesReach(2);
  await s.waitForRequests(3);
  s.publish({ n: 3 }, 'v3');
  await r.updatesReach(3);
  await w.stop();
  t.same(r.updates, [[{ n: 1 }, 'v1'], [{ n: 2 }, 'v2'], [{ n: 3 }, 'v3']]);
  t.same(s.requests.slice(0, 3).map((q) => [q.url, q.headers['if-none-match'], q.headers['x-meshplug-applied-version']]), [
    ['/v1/mesh/a/b', undefined, undefined],
    ['/v1/mesh/a/b?wait=30', '"v1"', 'v1'],
    ['/v1/mesh/a/b?wait=30', '"v2"', 'v2'],
  ]);
  t.equal(s.requests[0]?.headers['x-meshplug-proxy-id'], 'p');
  t.same(r.errors, []);
});

t.test('onUpdate is never concurrent, even when versions change during it', async (t) => {
  const s = await fake(t);
  const c = new DiscoverClient({ baseUrl: s.url });
  let running = 0;
  let maxRunning = 0;
  const seen: string[] = [];
  let release: (() => void) | undefined;
  const w = c.watch<Doc>('/v1/mesh/a/b', {
    onUpdate: async (_b, v) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      seen.push(v);
      if (v === 'v1') await new Promise<void>((resolve) => (release = resolve));
      running -= 1;
    },
  });
  await s.waitForRequests(1);
  while (release === undefined) await new Promise((resolve) => setImmediate(resolve));
  s.publish({ n: 2 }, 'v2');
  s.publish({ n: 3 }, 'v3');
  release();
  while (!seen.includes('v3')) await new Promise((resolve) => setImmediate(resolve));
  await w.stop();
  t.same(seen, ['v1', 'v3'], 'the poll after a slow update gets the newest version');
  t.equal(maxRunning, 1);
});

t.test('initialVersion: first poll long-polls from it, no update until it changes', async (t) => {
  const s = await fake(t, 'v7');
  const c = new DiscoverClient({ baseUrl: s.url });
  const r = recorder();
  const w = c.watch<Doc>('/v1/mesh/a/b', { ...r, initialVersion: 'v7' });
  await s.waitForRequests(1);
  t.equal(s.requests[0]?.headers['if-none-match'], '"v7"');
  t.equal(r.updates.length, 0);
  s.publish({ n: 8 }, 'v8');
  await r.updatesReach(1);
  await w.stop();
  t.same(r.updates, [[{ n: 8 }, 'v8']]);
});

t.test('stop() while a poll is held aborts it and ends the loop', async (t) => {
  const s = await fake(t);
  const c = new DiscoverClient({ baseUrl: s.url });
  const r = recorder();
  const w = c.watch<Doc>('/v1/mesh/a/b', r);
  await s.waitForRequests(2);
  while (s.heldCount === 0) await new Promise((resolve) => setImmediate(resolve));
  await w.stop();
  while (s.heldCount > 0) await new Promise((resolve) => setImmediate(resolve));
  const count = s.requests.length;
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(s.requests.length, count, 'no poll after stop');
  t.same(r.errors, [], 'an abort is not an error');
  await w.stop();
  t.pass('stop() twice is fine');
});

t.test('an aborted signal stops the watch too', async (t) => {
  const s = await fake(t);
  const c = new DiscoverClient({ baseUrl: s.url });
  const ac = new AbortController();
  const r = recorder();
  const w = c.watch<Doc>('/v1/mesh/a/b', { ...r, signal: ac.signal });
  await s.waitForRequests(2);
  ac.abort();
  await w.stop();
  t.equal(r.updates.length, 1);
});

t.test('server down at start, then up: recovers', async (t) => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const timers = new ManualTimers();
  const c = new DiscoverClient({ baseUrl: `http://127.0.0.1:${port}`, timers, random: () => 0.5 });
  const r = recorder();
  const w = c.watch<Doc>('/v1/mesh/a/b', r);
  await r.errorsReach(1);
  t.same(r.errors[0], { code: 'API_ERR_DISCOVER_UNREACHABLE', attempt: 1, retryInMs: 125 });
  const s = new FakeDiscoverServer({ n: 1 }, 'v1');
  await s.listen(port);
  t.teardown(() => s.close());
  await timers.fireNext((ms) => ms === 125);
  await r.updatesReach(1);
  await w.stop();
  t.same(r.updates, [[{ n: 1 }, 'v1']]);
});

t.test('5xx, 404, garbage and a missing ETag are retried; backoff grows, is capped, resets after success', async (t) => {
  const s = await fake(t);
  const timers = new ManualTimers();
  const c = new DiscoverClient({ baseUrl: s.url, timers, random: () => 0.5, minBackoffMs: 100, maxBackoffMs: 1000 });
  const r = recorder();
  s.fail({ kind: 'status', status: 500, body: '{"code":"DISC_ERR_INTERNAL","message":"boom"}' }, 3);
  s.fail({ kind: 'status', status: 404, body: '{"code":"DISC_ERR_NOT_FOUND","message":"later"}' }, 2);
  s.fail({ kind: 'garbage' }, 1);
  s.fail({ kind: 'no-etag' }, 1);
  const w = c.watch<Doc>('/v1/mesh/a/b', r);
  const sleeps: number[] = [];
  const isSleep = (ms: number): boolean => ms <= 1000;
  for (let i = 0; i < 7; i++) sleeps.push(await timers.fireNext(isSleep));
  await r.updatesReach(1);
  t.same(sleeps, [50, 100, 200, 400, 500, 500, 500], 'random 0.5 of 100, 200, 400, 800, then the cap 1000');
  t.same(r.errors.map((e) => e.attempt), [1, 2, 3, 4, 5, 6, 7]);
  t.same(r.errors.map((e) => e.code), Array(7).fill('API_ERR_DISCOVER_HTTP'));
  s.fail({ kind: 'status', status: 503, body: '' }, 1);
  s.publish({ n: 2 }, 'v2');
  await r.errorsReach(8);
  t.same(r.errors[7], { code: 'API_ERR_DISCOVER_HTTP', attempt: 1, retryInMs: 50 }, 'reset after a success');
  await timers.fireNext(isSleep);
  await r.updatesReach(2);
  await w.stop();
  t.same(r.updates, [[{ n: 1 }, 'v1'], [{ n: 2 }, 'v2']]);
});

t.test('a throwing onUpdate is reported and the same version retried', async (t) => {
  const s = await fake(t);
  const timers = new ManualTimers();
  const c = new DiscoverClient({ baseUrl: s.url, timers, random: () => 0 });
  const errors: MeshplugError[] = [];
  const seen: string[] = [];
  let fail = true;
  const w = c.watch<Doc>('/v1/mesh/a/b', {
    onUpdate: (_b, v) => {
      seen.push(v);
      if (fail) {
        fail = false;
        throw new Error('disk full');
      }
    },
    onError: (err) => {
      errors.push(err);
      throw new Error('a throwing onError is contained too');
    },
  });
  await timers.fireNext((ms) => ms === 0);
  while (seen.length < 2) await new Promise((resolve) => setImmediate(resolve));
  await w.stop();
  t.same(seen, ['v1', 'v1']);
  t.equal(errors[0]?.code, 'API_ERR_WATCH_HANDLER');
  t.match(errors[0]?.message, /version v1: disk full/);
});

t.test('a server that ignores If-None-Match is polled at the capped rate, without repeated updates', async (t) => {
  const s = await fake(t);
  const timers = new ManualTimers();
  const c = new DiscoverClient({ baseUrl: s.url, timers, maxBackoffMs: 777 });
  const r = recorder();
  s.fail({ kind: 'ignore-if-none-match' }, 2);
  const w = c.watch<Doc>('/v1/mesh/a/b', r);
  t.equal(await timers.fireNext((ms) => ms === 777), 777);
  await s.waitForRequests(3);
  await w.stop();
  t.same(r.updates, [[{ n: 1 }, 'v1']]);
  t.same(r.errors, []);
});
