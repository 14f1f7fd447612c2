import t from 'tap';
import { LongPollHub } from '../../src/http/long-poll-hub.js';
import { ManualTimers } from './manual-timers.js';
import { FakeView, meshContent } from './fake-view.js';


function setup() {
  const view = new FakeView();
  const timers = new ManualTimers();
  const hub = new LongPollHub(view, timers);
  const lookup = () => view.mesh('shop', 'web');
  return { view, timers, hub, lookup };
}

t.test('one timer per poll, with the wait it was given, cleared when a change answers', async (t) => {
  const { view, timers, hub, lookup } = setup();
  const v1 = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const polls = [hub.wait('mesh:shop/web', lookup, [v1], 1500, new AbortController().signal), hub.wait('mesh:shop/web', lookup, [v1], 2500, new AbortController().signal)];
  t.same([...timers.pending.values()].map((p) => p.ms), [1500, 2500]);
  const v2 = view.setMesh('shop', 'web', meshContent(['127.0.1.12']));
  const outcomes = await Promise.all(polls);
  t.same(outcomes.map((o) => o?.ok && o.version), [v2, v2]);
  t.equal(timers.pending.size, 0, 'timers cleared');
  t.equal(hub.size, 0);
  t.equal(hub.keys, 0);
});

t.test('the wait timeout resolves undefined and removes the waiter', async (t) => {
  const { view, timers, hub, lookup } = setup();
  const v1 = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const poll = hub.wait('mesh:shop/web', lookup, [v1], 1000, new AbortController().signal);
  t.equal(hub.size, 1);
  timers.fireAll();
  t.equal(await poll, undefined);
  t.equal(hub.size, 0);
  t.equal(hub.keys, 0);
});

t.test('abort (client gone) resolves undefined, clears its timer, leaves other waiters', async (t) => {
  const { view, timers, hub, lookup } = setup();
  const v1 = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const gone = new AbortController();
  const aborted = hub.wait('mesh:shop/web', lookup, [v1], 1000, gone.signal);
  const kept = hub.wait('mesh:shop/web', lookup, [v1], 1000, new AbortController().signal);
  gone.abort();
  t.equal(await aborted, undefined);
  t.equal(hub.size, 1);
  t.equal(timers.pending.size, 1);
  t.equal(await hub.wait('mesh:shop/web', lookup, [v1], 1000, gone.signal), undefined, 'an already aborted signal never waits');
  view.setMesh('shop', 'web', meshContent(['127.0.1.12']));
  t.equal((await kept)?.ok, true);
});

t.test('a change looks up only keys with waiters, once per key', async (t) => {
  const { view, hub } = setup();
  const web = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  view.setMesh('shop', 'idle', meshContent(['127.0.1.31']));
  const signal = new AbortController().signal;
  for (let i = 0; i < 10; i++) void hub.wait('mesh:shop/web', () => view.mesh('shop', 'web'), [web], 1000, signal);
  view.lookups.clear();
  view.touch();
  t.same([...view.lookups], [['mesh:shop/web', 1]]);
  t.equal(hub.size, 10, 'same version: nobody woken');
});

t.test('waiters holding a tag list or * are woken only when no tag matches', async (t) => {
  const { view, hub, lookup } = setup();
  const v1 = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const signal = new AbortController().signal;
  const star = hub.wait('mesh:shop/web', lookup, ['*'], 1000, signal);
  const list = hub.wait('mesh:shop/web', lookup, ['old', v1], 1000, signal);
  view.setMesh('shop', 'web', meshContent(['127.0.1.12']));
  t.equal((await list)?.ok, true, 'the list no longer matches');
  t.equal(hub.size, 1, '* still matches any version');
  view.deleteMesh('shop', 'web');
  t.same(await star, { ok: false, code: 'DISC_ERR_NOT_FOUND', reason: 'no Service web in namespace shop' });
});

t.test('close answers everyone, unsubscribes, and later waits return at once', async (t) => {
  const { view, timers, hub, lookup } = setup();
  const v1 = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const polls = Array.from({ length: 3 }, () => hub.wait('mesh:shop/web', lookup, [v1], 1000, new AbortController().signal));
  hub.close();
  t.same(await Promise.all(polls), [undefined, undefined, undefined]);
  t.equal(view.listenerCount, 0);
  t.equal(timers.pending.size, 0);
  t.equal(await hub.wait('mesh:shop/web', lookup, [v1], 1000, new AbortController().signal), undefined);
  hub.close();
});
