import t from 'tap';
import { runCli } from '../../src/cli/main.js';
import { startServer, waitFor } from '../http/helpers.js';
import { meshContent } from '../http/fake-view.js';
import { captureIo } from './capture-io.js';

t.test('proxy-status prints served vs applied, SYNCED or STALE, connected and age', async (t) => {
  let now = Date.parse('2025-01-01T00:00:00Z');
  const { view, url, server } = await startServer(t, { clock: () => now });
  const v1 = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const headers = (id: string, kind: string, applied: string) => ({
    'x-meshplug-proxy-id': id,
    'x-meshplug-proxy-kind': kind,
    'x-meshplug-applied-version': `"${applied}"`,
  });
  await fetch(`${url}/v1/mesh/shop/web`, { headers: headers('web-0', 'dns-shim', 'old') });
  now += 30_000;
  const held = fetch(`${url}/v1/mesh/shop/web?wait=30`, { headers: { ...headers('web-0', 'mesh-proxy', v1), 'if-none-match': `"${v1}"` } });
  await waitFor(() => server.hub.size === 1, 'the poll to be held');

  const io = captureIo({}, now + 15_000);
  t.equal(await runCli('proxy-status', ['--server', url], io), 0);
  t.equal(
    io.out(),
    [
      'NAME   KIND        COMPONENT  SERVED            APPLIED           STATUS  CONNECTED  LAST SEEN',
      `web-0  dns-shim    shop/web   ${v1}  old               STALE   no         45s`,
      `web-0  mesh-proxy  shop/web   ${v1}  ${v1}  SYNCED  yes        15s`,
      '',
    ].join('\n'),
  );
  view.setMesh('shop', 'web', meshContent(['127.0.1.12']));
  await held;
});

t.test('no sidecars yet, and an unreachable server', async (t) => {
  const { url, server } = await startServer(t);
  const io = captureIo();
  t.equal(await runCli('proxy-status', ['--server', url], io), 0);
  t.equal(io.out(), 'No sidecars have polled discover-service yet.\n');
  await server.close();
  const down = captureIo();
  t.equal(await runCli('proxy-status', ['--server', url], down), 1);
  t.match(down.err(), /meshplug proxy-status: cannot reach discover-service/);
});
