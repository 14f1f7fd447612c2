import t from 'tap';
import type { ProxyReport } from '@meshplug/plugin-api';
import { AccessControl } from '../../src/auth/access-control.js';
import { REPORT_BODY_LIMIT } from '../../src/http/routes/report-routes.js';
import { STATS_PERIOD_MS } from '../../src/http/state-version.js';
import { clusterReport, endpointReport, proxyReport } from '../proxies/report-fixtures.js';
import { meshContent } from './fake-view.js';
import { startServer } from './helpers.js';
import { ManualTimers } from './manual-timers.js';

const SIDECAR = { 'x-meshplug-proxy-id': 'web-0', 'x-meshplug-proxy-kind': 'mesh-proxy' };

function post(url: string, body: unknown, headers: Record<string, string> = SIDECAR): Promise<Response> {
  return fetch(`${url}/v1/proxies/report`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const tomcat = (requests: number): ProxyReport =>
  proxyReport('web', [clusterReport('shop/tomcat', [endpointReport('127.0.1.11', { requests, errors: 1 })], { requests, errors: 1 }, { 3: requests })]);

t.test('a report is stored, shows in /v1/stats and /v1/proxies; unknown sidecars are accepted', async (t) => {
  const { url } = await startServer(t);
  const res = await post(url, tomcat(4), { ...SIDECAR, 'x-meshplug-applied-version': '"v1"' });
  t.equal(res.status, 204);
  const stats = (await (await fetch(`${url}/v1/stats`)).json()) as { items: unknown[] };
  t.match(stats.items, [
    {
      component: 'shop/web',
      dependency: 'shop/tomcat',
      port: 8080,
      sidecars: 1,
      requests: 4,
      errors: 1,
      latency: { count: 4, p50Ms: Number, p99Ms: Number },
      endpoints: [{ address: '127.0.1.11', port: 8080, requests: 4, errors: 1, ejected: false }],
    },
  ]);
  t.same(((await (await fetch(`${url}/v1/stats?service=api`)).json()) as { items: unknown[] }).items, [], 'filtered');
  const proxies = (await (await fetch(`${url}/v1/proxies`)).json()) as { items: { id: string; appliedVersion: string; lastReport?: string }[] };
  t.match(proxies.items, [{ id: 'web-0', appliedVersion: 'v1', lastReport: /^\d{4}-/ }], 'a sidecar that never polled is listed');
});

t.test('validated: identity headers, schema, body type and size', async (t) => {
  const { url } = await startServer(t);
  const noId = await post(url, tomcat(1), { 'x-meshplug-proxy-kind': 'mesh-proxy' });
  t.equal(noId.status, 400);
  t.match(await noId.json(), { code: 'DISC_ERR_BAD_REQUEST', message: /x-meshplug-proxy-id/ });
  t.equal((await post(url, tomcat(1), { ...SIDECAR, 'x-meshplug-proxy-kind': 'envoy' })).status, 400, 'unknown kind');
  t.equal((await post(url, tomcat(1), { ...SIDECAR, 'x-meshplug-proxy-id': '../etc' })).status, 400, 'bad id');

  const negative = tomcat(1);
  negative.clusters[0]!.endpoints[0]!.requests = -1;
  const bad = await post(url, negative);
  t.equal(bad.status, 400);
  t.match(await bad.json(), { code: 'DISC_ERR_BAD_REQUEST', message: /requests/ });
  t.equal((await post(url, { ...tomcat(1), namespace: 'Shop!' })).status, 400, 'namespace must be a name');
  t.equal((await post(url, { ...tomcat(1), clusters: undefined })).status, 400, 'clusters required');
  t.equal((await post(url, '{"namespace":')).status, 400, 'not JSON');
  const text = await fetch(`${url}/v1/proxies/report`, { method: 'POST', headers: { ...SIDECAR, 'content-type': 'text/plain' }, body: 'x' });
  t.equal(text.status, 400, 'a text body is not a report');

  const huge = tomcat(1);
  huge.clusters[0]!.endpoints = Array.from({ length: 1500 }, (_, i) => endpointReport(`127.0.${i >> 8}.${i & 255}`, { requests: 1 }));
  huge.clusters = Array.from({ length: 8 }, () => huge.clusters[0]!);
  t.ok(JSON.stringify(huge).length > REPORT_BODY_LIMIT);
  const tooLarge = await post(url, huge);
  t.equal(tooLarge.status, 413);
  t.match(await tooLarge.json(), { code: 'DISC_ERR_BAD_REQUEST' });
  t.same(((await (await fetch(`${url}/v1/stats`)).json()) as { items: unknown[] }).items, [], 'nothing refused was stored');
});

t.test('with access control the token must be of the reported namespace', async (t) => {
  const access = new AccessControl({
    reviewer: {
      review: async (token) =>
        token === 'shop-token'
          ? { authenticated: true, username: 'system:serviceaccount:shop:web', groups: [], audiences: ['meshplug'] }
          : { authenticated: false, reason: 'unknown token' },
    },
  });
  const { url } = await startServer(t, { access });
  t.equal((await post(url, tomcat(1))).status, 401, 'no token');
  t.equal((await post(url, tomcat(1), { ...SIDECAR, authorization: 'Bearer forged' })).status, 401);
  const other = await post(url, { ...tomcat(1), namespace: 'bank' }, { ...SIDECAR, authorization: 'Bearer shop-token' });
  t.equal(other.status, 403, "another namespace's report");
  t.match(await other.json(), { code: 'DISC_ERR_FORBIDDEN' });
  t.equal((await post(url, tomcat(1), { ...SIDECAR, authorization: 'Bearer shop-token' })).status, 204);
});

t.test("changed numbers move /v1/state's proxies part at most once per period", async (t) => {
  const timers = new ManualTimers();
  const { view, url } = await startServer(t, { timers });
  view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const state = async () => ((await (await fetch(`${url}/v1/state`)).json()) as { proxies: string; mesh: string }).proxies;
  await post(url, tomcat(1));
  const first = await state();
  t.ok(timers.has(STATS_PERIOD_MS), 'the period started with the first report');

  // Same numbers again, then changed ones twice: nothing moves until the period ends.
  await post(url, tomcat(1), { ...SIDECAR, 'x-meshplug-proxy-id': 'web-0' });
  await post(url, tomcat(2));
  await post(url, tomcat(3));
  t.equal(await state(), first, 'within the period the version holds');
  const stats = (await (await fetch(`${url}/v1/stats`)).json()) as { items: { requests: number }[] };
  t.equal(stats.items[0]?.requests, 3, '/v1/stats itself is always current');

  // A watcher holding the version wakes once, at the end of the period.
  const held = fetch(`${url}/v1/state?wait=30`, { headers: { 'if-none-match': `"${(await (await fetch(`${url}/v1/state`)).json() as { version: string }).version}"` } });
  t.equal(timers.fire(STATS_PERIOD_MS), 1);
  const woke = await held;
  t.equal(woke.status, 200, 'the held watcher woke');
  const second = await state();
  t.not(second, first, 'one change for the period');
  t.ok(timers.has(STATS_PERIOD_MS), 'a new period started, since it changed');

  // A quiet period ends the throttle; the next report counts at once.
  t.equal(timers.fire(STATS_PERIOD_MS), 1);
  t.notOk(timers.has(STATS_PERIOD_MS), 'no timer while nobody reports');
  await post(url, tomcat(3));
  t.equal(await state(), second, 'same numbers: no change');
  await post(url, tomcat(4));
  t.equal(timers.fire(STATS_PERIOD_MS), 1);
  t.not(await state(), second, 'changed numbers after the period');
});

t.test('documented in /openapi.json: the report body, its answers and /v1/stats', async (t) => {
  const { url } = await startServer(t);
  const doc = (await (await fetch(`${url}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required: string[] } }> }; responses: Record<string, unknown> }>>;
  };
  const report = doc.paths['/v1/proxies/report']?.['post'];
  t.same(report?.requestBody?.content['application/json']?.schema.required, ['namespace', 'service', 'intervalSeconds', 'latencyBoundsMs', 'clusters']);
  t.same(Object.keys(report?.responses ?? {}).sort(), ['204', '400', '401', '403', '413']);
  t.ok(doc.paths['/v1/stats']?.['get']?.responses['200'], '/v1/stats documents its answer');
});
