import t from 'tap';
import { Registry } from 'prom-client';
import { silentLogger } from '@meshplug/plugin-api';
import { AdminServer } from '../../src/admin/admin-server.js';
import { httpRequest } from '../helpers/net.js';

let drains = 0;
const registry = new Registry();
const admin = new AdminServer(
  {
    notReadyReason: () => undefined,
    config: () => ({ version: 'v1' }),
    clusters: () => ({ clusters: [] }),
    registry,
    drain: async () => {
      drains += 1;
    },
  },
  silentLogger(),
);
// 127.77.6.x for this file.
const { port } = await admin.listen('127.77.6.1', 0);
t.teardown(() => admin.close());
const base = `http://127.77.6.1:${port}`;

t.test('read endpoints', async (t) => {
  t.same(JSON.parse((await httpRequest(`${base}/ready`)).body.toString()), { ready: true });
  t.same(JSON.parse((await httpRequest(`${base}/config`)).body.toString()), { version: 'v1' });
  const stats = await httpRequest(`${base}/stats`);
  t.match(stats.headers['content-type'], /text\/plain/);
});

t.test('unknown paths and wrong methods', async (t) => {
  const missing = await httpRequest(`${base}/nope`);
  t.equal(missing.status, 404);
  t.equal(JSON.parse(missing.body.toString()).code, 'MESH_ERR_NOT_FOUND');
  const wrong = await httpRequest(`${base}/drain`);
  t.equal(wrong.status, 405, 'GET /drain');
  t.equal(drains, 0);
});

t.test('POST /drain only from a local caller', async (t) => {
  t.equal((await httpRequest(`${base}/drain`, { method: 'POST', localAddress: '127.77.6.2' })).status, 403);
  t.equal(drains, 0);
  t.equal((await httpRequest(`${base}/drain`, { method: 'POST', localAddress: '127.0.0.1' })).status, 202, 'the pod loopback');
  t.equal((await httpRequest(`${base}/drain`, { method: 'POST', localAddress: '127.77.6.1' })).status, 202, 'the admin address itself');
  t.equal(drains, 2);
});
