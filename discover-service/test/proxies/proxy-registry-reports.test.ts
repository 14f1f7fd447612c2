import t from 'tap';
import { ProxyRegistry } from '../../src/proxies/proxy-registry.js';
import { clusterReport, endpointReport, proxyReport } from './report-fixtures.js';

function setup(ttlMs = 60_000) {
  let now = 1_000_000;
  const registry = new ProxyRegistry({ ttlMs, maxEntries: 100, clock: () => now });
  return { registry, advance: (ms: number) => (now += ms), now: () => now };
}

const identity = { id: 'web-0', kind: 'mesh-proxy' as const, namespace: 'shop', service: 'web' };
const report = proxyReport('web', [clusterReport('shop/tomcat', [endpointReport('10.0.0.1', { requests: 3 })], { requests: 3 })]);

t.test('a report from a sidecar never seen polling adds it; the report is kept with it', async (t) => {
  const { registry, now } = setup();
  let reports = 0;
  let activity = 0;
  registry.onReport(() => reports++);
  registry.onActivity(() => activity++);
  registry.report(identity, report);
  t.equal(reports, 1);
  t.equal(activity, 1, 'a new row is poll-like activity too');
  t.match(registry.list(() => 'v1'), [{ id: 'web-0', appliedVersion: null, connected: false, lastReport: new Date(now()).toISOString() }]);
  t.same(registry.reports().map((r) => r.report), [report]);
});

t.test('polls keep the report; a report keeps the open polls and the applied version', async (t) => {
  const { registry } = setup();
  const end = registry.pollStarted({ ...identity, appliedVersion: 'v1' });
  registry.report(identity, report);
  t.match(registry.list(() => 'v1'), [{ connected: true, appliedVersion: 'v1', stale: false }], 'still connected, applied version kept');
  end();
  registry.pollStarted({ ...identity, appliedVersion: 'v2' });
  t.equal(registry.reports().length, 1, 'a later poll did not drop the report');
  registry.report({ ...identity, appliedVersion: 'v3' }, report);
  t.match(registry.list(() => 'v3'), [{ appliedVersion: 'v3', stale: false }], "the report's applied version counts");
});

t.test('reports expire with the TTL, even of a sidecar whose poll stays open', async (t) => {
  const { registry, advance } = setup(60_000);
  registry.pollStarted(identity);
  registry.report(identity, report);
  registry.report({ ...identity, id: 'web-1' }, report);
  advance(60_000);
  t.equal(registry.reports().length, 2, 'exactly the TTL is still current');
  advance(1);
  t.same(registry.reports(), [], 'both reports are too old');
  t.same(registry.list(() => undefined).map((r) => r.id), ['web-0'], 'the idle reporter is forgotten, the polling one stays');
  t.notOk('lastReport' in registry.list(() => undefined)[0]!, 'without a current report');
});
