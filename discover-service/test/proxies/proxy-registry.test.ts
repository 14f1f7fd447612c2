import t from 'tap';
import { ProxyRegistry, type ProxyIdentity } from '../../src/proxies/proxy-registry.js';

function setup(maxEntries = 100) {
  let now = Date.parse('2025-01-01T00:00:00Z');
  const registry = new ProxyRegistry({ ttlMs: 60_000, maxEntries, clock: () => now });
  return { registry, advance: (ms: number) => (now += ms) };
}

const web1: ProxyIdentity = { id: 'web-1', kind: 'mesh-proxy', namespace: 'shop', service: 'web', appliedVersion: 'v1' };
const served = (version: string | undefined) => () => version;

t.test('a sidecar with an open poll is connected; served vs applied decides stale', async (t) => {
  const { registry } = setup();
  const end = registry.pollStarted(web1);
  t.same(registry.list(served('v1')), [
    { id: 'web-1', kind: 'mesh-proxy', namespace: 'shop', service: 'web', servedVersion: 'v1', appliedVersion: 'v1', lastSeen: '2025-01-01T00:00:00.000Z', connected: true, stale: false },
  ]);
  t.equal(registry.connected, 1);
  t.match(registry.list(served('v2')), [{ servedVersion: 'v2', appliedVersion: 'v1', stale: true }]);
  t.match(registry.list(served(undefined)), [{ servedVersion: null, stale: true }], 'a vanished document is stale');
  end();
  end();
  t.match(registry.list(served('v1')), [{ connected: false }], 'ending twice counts once');
  t.equal(registry.connected, 0);
});

t.test('one id may poll as mesh-proxy and dns-shim; rows sorted by namespace, service, kind, id', async (t) => {
  const { registry } = setup();
  registry.pollStarted({ ...web1, id: 'web-2' });
  registry.pollStarted({ ...web1, kind: 'dns-shim' });
  registry.pollStarted({ id: 'api-1', kind: 'mesh-proxy', namespace: 'shop', service: 'api' });
  registry.pollStarted(web1);
  const rows = registry.list(served('v1'));
  t.same(rows.map((r) => `${r.service}/${r.kind}/${r.id}`), ['api/mesh-proxy/api-1', 'web/dns-shim/web-1', 'web/mesh-proxy/web-1', 'web/mesh-proxy/web-2']);
  t.match(rows[0], { appliedVersion: null, stale: true }, 'nothing applied yet is stale');
});

t.test('the latest poll updates applied version and lastSeen', async (t) => {
  const { registry, advance } = setup();
  registry.pollStarted(web1)();
  advance(5000);
  const end = registry.pollStarted({ ...web1, appliedVersion: 'v2' });
  t.match(registry.list(served('v2')), [{ appliedVersion: 'v2', stale: false, lastSeen: '2025-01-01T00:00:05.000Z' }]);
  advance(30_000);
  end();
  t.match(registry.list(served('v2')), [{ lastSeen: '2025-01-01T00:00:35.000Z' }], 'the end of a poll counts as seen');
});

t.test('forgotten after the TTL once no poll is open, never while one is', async (t) => {
  const { registry, advance } = setup();
  const endWeb = registry.pollStarted(web1);
  const endApi = registry.pollStarted({ ...web1, id: 'api-1', service: 'api' });
  endApi();
  advance(60_000);
  t.equal(registry.list(served('v1')).length, 2, 'exactly the TTL is still kept');
  advance(1);
  t.same(registry.list(served('v1')).map((r) => r.id), ['web-1'], 'the idle one expired, the connected one stays');
  advance(600_000);
  t.equal(registry.list(served('v1')).length, 1);
  endWeb();
  advance(60_001);
  t.equal(registry.list(served('v1')).length, 0);
  t.equal(registry.size, 0);
});

t.test('past maxEntries the least recently seen is dropped', async (t) => {
  const { registry, advance } = setup(2);
  registry.pollStarted({ ...web1, id: 'a' })();
  advance(1);
  registry.pollStarted({ ...web1, id: 'b' })();
  advance(1);
  registry.pollStarted({ ...web1, id: 'a' })();
  advance(1);
  registry.pollStarted({ ...web1, id: 'c' })();
  t.same(registry.list(served('v1')).map((r) => r.id), ['a', 'c']);
});
