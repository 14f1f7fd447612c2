import t from 'tap';
import { startServer, waitFor } from './helpers.js';
import { meshContent } from './fake-view.js';

interface Row {
  id: string;
  kind: string;
  servedVersion: string | null;
  appliedVersion: string | null;
  connected: boolean;
  stale: boolean;
  lastSeen: string;
}

t.test('/v1/proxies lists sidecars seen on /v1/mesh polls: served vs applied, connected, stale, TTL', async (t) => {
  let now = Date.parse('2025-01-01T00:00:00Z');
  const { view, url, server } = await startServer(t, { clock: () => now, proxyTtlMs: 60_000 });
  const v1 = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const list = async (): Promise<Row[]> => ((await (await fetch(`${url}/v1/proxies`)).json()) as { items: Row[] }).items;
  const sidecar = (id: string, kind: string, applied?: string) => ({
    'x-meshplug-proxy-id': id,
    'x-meshplug-proxy-kind': kind,
    ...(applied ? { 'x-meshplug-applied-version': `"${applied}"` } : {}),
  });

  t.equal((await fetch(`${url}/v1/mesh/shop/web`)).status, 200, 'an anonymous caller');
  t.same(await list(), [], 'is not a sidecar');

  t.equal((await fetch(`${url}/v1/mesh/shop/web`, { headers: sidecar('web-1', 'mesh-proxy') })).status, 200);
  t.match(await list(), [{ id: 'web-1', kind: 'mesh-proxy', servedVersion: v1, appliedVersion: null, connected: false, stale: true }]);

  const held = fetch(`${url}/v1/mesh/shop/web?wait=30`, { headers: { ...sidecar('web-1', 'mesh-proxy', v1), 'if-none-match': `"${v1}"` } });
  const dnsHeld = fetch(`${url}/v1/mesh/shop/web?wait=30`, { headers: { ...sidecar('web-1', 'dns-shim', v1), 'if-none-match': `"${v1}"` } });
  await waitFor(() => server.hub.size === 2, 'both polls held');
  t.match(await list(), [
    { id: 'web-1', kind: 'dns-shim', servedVersion: v1, appliedVersion: v1, connected: true, stale: false },
    { id: 'web-1', kind: 'mesh-proxy', servedVersion: v1, appliedVersion: v1, connected: true, stale: false },
  ]);

  const v2 = view.setMesh('shop', 'web', meshContent(['127.0.1.11', '127.0.1.12']));
  t.equal((await held).status, 200);
  t.equal((await dnsHeld).status, 200);
  t.match(await list(), [
    { kind: 'dns-shim', servedVersion: v2, appliedVersion: v1, connected: false, stale: true },
    { kind: 'mesh-proxy', servedVersion: v2, appliedVersion: v1, connected: false, stale: true },
  ], 'served moved on, applied not yet: stale');

  await fetch(`${url}/v1/mesh/shop/web`, { headers: { ...sidecar('web-1', 'mesh-proxy', v2), 'if-none-match': `"${v2}"` } });
  t.match(await list(), [{ kind: 'dns-shim', stale: true }, { kind: 'mesh-proxy', appliedVersion: v2, stale: false }]);

  now += 60_001;
  t.same(await list(), [], 'forgotten after the TTL');
});
