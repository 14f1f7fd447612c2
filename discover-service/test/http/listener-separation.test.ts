import t from 'tap';
import { AccessControl } from '../../src/auth/access-control.js';
import { buildServer } from '../../src/http/build-server.js';
import { FakeView, meshContent } from './fake-view.js';
import { startServer } from './helpers.js';
import { fillShop } from './sample-rows.js';

const OPS_PATHS = ['/v1/routes', '/v1/services', '/v1/services/shop/web', '/v1/plugins', '/v1/components', '/v1/proxies', '/v1/stats', '/v1/errors', '/metrics', '/openapi.json'];
const CONFIG_PATHS = ['/v1/mesh/shop/web'];

t.test('an ops listener serves the ops API; the config listener then serves only config and probes', async (t) => {
  const view = new FakeView();
  fillShop(view);
  view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const { server: main, url } = await startServer(t, { view, routes: ['config'] });
  const ops = buildServer({ view, host: '127.0.0.1', port: 0, routes: ['ops'], shared: main });
  const opsUrl = await ops.listen();
  t.teardown(() => ops.close());

  for (const path of OPS_PATHS) {
    t.equal((await fetch(url + path)).status, 404, `${path} is not on the config listener`);
    t.equal((await fetch(opsUrl + path)).status, 200, `${path} is on the ops listener`);
  }
  for (const path of CONFIG_PATHS) {
    t.equal((await fetch(url + path)).status, 200, `${path} is on the config listener`);
    t.equal((await fetch(opsUrl + path)).status, 404, `${path} is not on the ops listener`);
  }
  for (const path of ['/healthz', '/readyz']) {
    t.equal((await fetch(url + path)).status, 200, `${path} on the config listener`);
    t.equal((await fetch(opsUrl + path)).status, 200, `${path} on the ops listener`);
  }
});

t.test('the ops listener sees the sidecars and requests of the config listener (shared state)', async (t) => {
  const view = new FakeView();
  view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const { server: main, url } = await startServer(t, { view, routes: ['config'] });
  const ops = buildServer({ view, host: '127.0.0.1', port: 0, routes: ['ops'], shared: main });
  const opsUrl = await ops.listen();
  t.teardown(() => ops.close());
  await fetch(`${url}/v1/mesh/shop/web`, { headers: { 'x-meshplug-proxy-id': 'web-1', 'x-meshplug-proxy-kind': 'mesh-proxy' } });
  const proxies = (await (await fetch(`${opsUrl}/v1/proxies`)).json()) as { items: { id: string }[] };
  t.match(proxies.items, [{ id: 'web-1' }]);
  const metrics = await (await fetch(`${opsUrl}/metrics`)).text();
  t.match(metrics, /meshplug_http_requests_total\{method="GET",route="\/v1\/mesh\/:ns\/:service",status="200"\} 1/);
  t.equal(ops.proxies, main.proxies);
});

t.test('route groups are validated', async (t) => {
  const view = new FakeView();
  t.throws(() => buildServer({ view, routes: ['nope' as 'ops'] }), { code: 'DISC_ERR_INVALID_SERVER_OPTIONS', message: /unknown group nope/ });
  const access = new AccessControl({ reviewer: { review: async () => ({ authenticated: false, reason: 'no' }) } });
  t.throws(() => buildServer({ view, routes: ['ops'], access }), { code: 'DISC_ERR_INVALID_SERVER_OPTIONS', message: /access: only applies to the config routes/ });
  const { url } = await startServer(t, { view, routes: [] });
  t.equal((await fetch(`${url}/healthz`)).status, 200, 'probes only');
  t.equal((await fetch(`${url}/v1/routes`)).status, 404);
});
