import t from 'tap';
import type { MeshLists, ProxyStatus, RouteTraffic, StateSnapshot } from '../../dashboard/src/api-types.js';
import { StateWatcher, type LinkStatus } from '../../dashboard/src/state-watcher.js';

const EMPTY: MeshLists = { routes: [], services: [], components: [], plugins: [], errors: [], ready: true };
const TRAFFIC: RouteTraffic = { component: 'shop/web', dependency: 'shop/tomcat', port: 8080, sidecars: 1, requests: 3, errors: 0, endpoints: [] };
const snap = (mesh: string, proxies: string): StateSnapshot => ({ version: `${mesh}+${proxies}`, mesh, proxies });

/** A scripted `state` answer: a snapshot, `undefined` (304), an error, or HOLD (wait until the watcher stops). */
const HOLD = Symbol('hold');
type StateAnswer = StateSnapshot | undefined | Error | typeof HOLD;

/** An api whose `state` answers come from a script that ends with HOLD; `held` resolves when it gets there. */
function scriptedApi(script: StateAnswer[]) {
  const calls: { held: string | undefined; wait: number }[] = [];
  const reads: string[] = [];
  let reachedHold: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (reachedHold = resolve));
  const api = {
    async state(version?: string, wait = 0, signal?: AbortSignal): Promise<StateSnapshot | undefined> {
      calls.push({ held: version, wait });
      const next = script.shift();
      if (next === HOLD) {
        reachedHold();
        return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))));
      }
      if (next instanceof Error) throw next;
      return next;
    },
    async meshLists(): Promise<MeshLists> {
      reads.push('mesh');
      return EMPTY;
    },
    async proxies(): Promise<ProxyStatus[]> {
      reads.push('proxies');
      return [];
    },
    async stats(): Promise<RouteTraffic[]> {
      reads.push('stats');
      return [TRAFFIC];
    },
  };
  return { api, calls, reads, held };
}

t.test('reads everything first, then only the part whose version moved; 304 reads nothing', async (t) => {
  const { api, calls, reads, held } = scriptedApi([snap('m1', 'p1'), snap('m1', 'p2'), undefined, snap('m2', 'p2'), HOLD]);
  const sleeps: number[] = [];
  const statuses: LinkStatus[] = [];
  let meshes = 0;
  const traffic: RouteTraffic[][] = [];
  const watcher = new StateWatcher({
    api,
    onMesh: () => meshes++,
    onProxies: (_rows, stats) => void traffic.push(stats),
    onStatus: (s) => statuses.push(s),
    sleep: async (ms) => void sleeps.push(ms),
  });
  void watcher.start();
  await held;
  await watcher.stop();
  t.same(calls, [
    { held: undefined, wait: 0 },
    { held: 'm1+p1', wait: 55 },
    { held: 'm1+p2', wait: 55 },
    { held: 'm1+p2', wait: 55 },
    { held: 'm2+p2', wait: 55 },
  ]);
  t.same(reads, ['mesh', 'proxies', 'stats', 'proxies', 'stats', 'mesh'], 'the traffic stats are read with the sidecars');
  t.same(traffic, [[TRAFFIC], [TRAFFIC]]);
  t.equal(meshes, 2);
  t.same(sleeps, [1000, 1000, 1000], 'a pause after each change, none after a 304');
  t.match(statuses.at(-1), { state: 'live', version: 'm2+p2' });
});

t.test('failures retry with doubling, capped delays and say so; success resets them', async (t) => {
  const fail = () => new Error('HTTP 502');
  const { api, held } = scriptedApi([fail(), fail(), fail(), fail(), snap('m', 'p'), fail(), HOLD]);
  const sleeps: number[] = [];
  const statuses: LinkStatus[] = [];
  const watcher = new StateWatcher({
    api,
    onMesh: () => undefined,
    onProxies: () => undefined,
    onStatus: (s) => statuses.push(s),
    sleep: async (ms) => void sleeps.push(ms),
    retryInitialMs: 100,
    retryMaxMs: 500,
    minIntervalMs: 10,
  });
  void watcher.start();
  await held;
  await watcher.stop();
  t.same(sleeps, [100, 200, 400, 500, 10, 100]);
  t.match(statuses[0], { state: 'retrying', error: 'HTTP 502', retryInMs: 100, failures: 1 });
  t.match(statuses[4], { state: 'live', version: 'm+p' });
});

t.test('stop ends the loop and aborts the held poll', async (t) => {
  const { api, held } = scriptedApi([snap('m', 'p'), HOLD]);
  const watcher = new StateWatcher({ api, onMesh: () => undefined, onProxies: () => undefined, onStatus: () => undefined, sleep: async () => undefined });
  const running = watcher.start();
  t.equal(watcher.start(), running, 'start is idempotent');
  await held;
  await watcher.stop();
  await running;
  t.pass('stopped');
});
