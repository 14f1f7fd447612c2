import t from 'tap';
import { StateVersion } from '../../src/http/state-version.js';
import { ProxyRegistry } from '../../src/proxies/proxy-registry.js';
import { FakeView, meshContent } from './fake-view.js';
import { ManualTimers } from './manual-timers.js';
import { fillShop } from './sample-rows.js';

const SETTLE = 1000;

function setup() {
  const view = new FakeView();
  fillShop(view);
  view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  let now = 1_000_000;
  const proxies = new ProxyRegistry({ ttlMs: 120_000, maxEntries: 100, clock: () => now });
  const timers = new ManualTimers();
  const state = new StateVersion({ view, proxies, timers, settleMs: SETTLE });
  let heard = 0;
  state.onChange(() => heard++);
  const sidecar = (applied?: string) => ({
    id: 'web-0',
    kind: 'mesh-proxy' as const,
    namespace: 'shop',
    service: 'web',
    ...(applied !== undefined ? { appliedVersion: applied } : {}),
  });
  return { view, proxies, timers, state, heard: () => heard, advance: (ms: number) => (now += ms), sidecar };
}

t.test('a view change is heard at once; the mesh version follows the content, not the notification', async (t) => {
  const { view, state, heard } = setup();
  const first = state.current();
  view.touch();
  t.equal(heard(), 1);
  t.same(state.current(), first, 'same lists, same versions');
  view.errorRows = [];
  view.touch();
  const second = state.current();
  t.not(second.mesh, first.mesh);
  t.equal(second.proxies, first.proxies);
  t.not(second.version, first.version);
  view.ready = false;
  view.touch();
  t.not(state.current().mesh, second.mesh, 'readiness is part of it');
});

t.test('poll activity is heard once it settles: one timer however many polls', async (t) => {
  const { proxies, timers, state, heard, sidecar } = setup();
  const before = state.current();
  const end = proxies.pollStarted(sidecar());
  proxies.pollStarted({ ...sidecar(), id: 'web-1' })();
  t.equal(timers.pending.size, 1, 'one settle timer');
  t.equal(heard(), 0, 'not heard before it settles');
  t.equal(timers.fire(SETTLE), 1);
  t.equal(heard(), 1);
  const during = state.current();
  t.not(during.proxies, before.proxies, 'two sidecars appeared');
  t.equal(during.mesh, before.mesh);
  end();
  timers.fire(SETTLE);
  t.not(state.current().proxies, during.proxies, 'web-0 is no longer connected');
});

t.test('a blink (poll ends, the next starts) and lastSeen leave the version alone; an applied version moves it', async (t) => {
  const { view, proxies, timers, state, advance, sidecar } = setup();
  const served = view.mesh('shop', 'web');
  const version = served.ok ? served.version : '';
  const end = proxies.pollStarted(sidecar(version));
  timers.fire(SETTLE);
  const held = state.current();
  advance(55_000);
  end();
  const next = proxies.pollStarted(sidecar(version));
  timers.fire(SETTLE);
  t.same(state.current(), held, 'still one connected, in-sync sidecar');
  next();
  proxies.pollStarted(sidecar('older'));
  timers.fire(SETTLE);
  t.not(state.current().proxies, held.proxies, 'it now reports another applied version');
});

t.test('a served version change moves the proxies version (stale is computed from it)', async (t) => {
  const { view, proxies, timers, state, sidecar } = setup();
  const served = view.mesh('shop', 'web');
  proxies.pollStarted(sidecar(served.ok ? served.version : ''));
  timers.fire(SETTLE);
  const before = state.current();
  view.setMesh('shop', 'web', meshContent(['127.0.1.12']));
  t.not(state.current().proxies, before.proxies);
});

t.test('close stops listening and drops the settle timer', async (t) => {
  const { view, proxies, timers, state, heard, sidecar } = setup();
  proxies.pollStarted(sidecar());
  t.equal(timers.pending.size, 1);
  const listeners = view.listenerCount;
  state.close();
  state.close();
  t.equal(timers.pending.size, 0);
  t.equal(view.listenerCount, listeners - 1);
  view.touch();
  proxies.pollStarted(sidecar());
  t.equal(timers.pending.size, 0);
  t.equal(heard(), 0);
});
