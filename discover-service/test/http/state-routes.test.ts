import t from 'tap';
import { STATE_SETTLE_MS } from '../../src/http/state-version.js';
import { meshContent } from './fake-view.js';
import { startServer, waitFor } from './helpers.js';
import { ManualTimers } from './manual-timers.js';
import { fillShop } from './sample-rows.js';

interface State {
  version: string;
  mesh: string;
  proxies: string;
}

async function state(url: string, headers: Record<string, string> = {}, query = ''): Promise<{ status: number; etag: string | null; body: State | undefined }> {
  const res = await fetch(`${url}/v1/state${query}`, { headers });
  const text = await res.text();
  return { status: res.status, etag: res.headers.get('etag'), body: text === '' ? undefined : (JSON.parse(text) as State) };
}

t.test('GET /v1/state: versions with an ETag; If-None-Match answers 304 or the new state at once', async (t) => {
  const { view, url } = await startServer(t);
  fillShop(view);
  const first = await state(url);
  t.equal(first.status, 200);
  t.match(first.body, { version: String, mesh: String, proxies: String });
  t.equal(first.etag, `"${first.body?.version}"`);
  t.same((await state(url)).body, first.body, 'the same state, the same versions');
  const unchanged = await state(url, { 'if-none-match': first.etag ?? '' });
  t.equal(unchanged.status, 304);
  t.equal(unchanged.etag, first.etag);
  const stale = await state(url, { 'if-none-match': '"old"' }, '?wait=30');
  t.equal(stale.status, 200, 'a version it no longer has is answered at once');
  t.same(stale.body, first.body);
  t.equal((await state(url, {}, '?wait=-1')).status, 400);
});

t.test('a held /v1/state poll is answered by a change to the lists, with only that part moved', async (t) => {
  const timers = new ManualTimers();
  const { view, url } = await startServer(t, { timers });
  fillShop(view);
  const first = await state(url);
  const held = state(url, { 'if-none-match': first.etag ?? '' }, '?wait=30');
  await waitFor(() => timers.has(30_000), 'the poll to be held');
  view.touch();
  t.ok(timers.has(30_000), 'a change that alters no list answers nothing');
  view.errorRows = [];
  view.touch();
  const answer = await held;
  t.equal(answer.status, 200);
  t.not(answer.body?.mesh, first.body?.mesh);
  t.equal(answer.body?.proxies, first.body?.proxies);
  t.equal(answer.etag, `"${answer.body?.version}"`);
  t.notOk(timers.has(30_000), 'its wait timer is cleared');
});

t.test('a held /v1/state poll ends 304 when its wait runs out', async (t) => {
  const timers = new ManualTimers();
  const { view, url } = await startServer(t, { timers });
  fillShop(view);
  const first = await state(url);
  const held = state(url, { 'if-none-match': first.etag ?? '' }, '?wait=5');
  await waitFor(() => timers.has(5000), 'the poll to be held');
  timers.fire(5000);
  const answer = await held;
  t.equal(answer.status, 304);
  t.equal(answer.etag, first.etag);
});

t.test('sidecar polls wake /v1/state once they settle', async (t) => {
  const timers = new ManualTimers();
  const { view, url } = await startServer(t, { timers });
  fillShop(view);
  const version = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const first = await state(url);
  const held = state(url, { 'if-none-match': first.etag ?? '' }, '?wait=30');
  await waitFor(() => timers.has(30_000), 'the poll to be held');
  const poll = await fetch(`${url}/v1/mesh/shop/web`, {
    headers: { 'x-meshplug-proxy-id': 'web-0', 'x-meshplug-proxy-kind': 'mesh-proxy', 'x-meshplug-applied-version': `"${version}"` },
  });
  t.equal(poll.status, 200);
  await waitFor(() => timers.has(STATE_SETTLE_MS), 'the settle timer');
  t.ok(timers.has(30_000), 'still held until the activity settles');
  timers.fire(STATE_SETTLE_MS);
  const answer = await held;
  t.equal(answer.status, 200);
  t.not(answer.body?.proxies, first.body?.proxies);
  t.equal(answer.body?.mesh, first.body?.mesh);
  const proxies = (await (await fetch(`${url}/v1/proxies`)).json()) as { items: { id: string; stale: boolean }[] };
  t.match(proxies.items, [{ id: 'web-0', stale: false }]);
});

t.test('close answers a held /v1/state poll', async (t) => {
  const timers = new ManualTimers();
  const { server, view, url } = await startServer(t, { timers });
  fillShop(view);
  const first = await state(url);
  const held = state(url, { 'if-none-match': first.etag ?? '' }, '?wait=30');
  await waitFor(() => timers.has(30_000), 'the poll to be held');
  await server.close();
  t.equal((await held).status, 304);
  t.equal(view.listenerCount, 0, 'nothing listens to the view any more');
});

t.test('/v1/state and the dashboard are served with the ops routes only', async (t) => {
  const both = await startServer(t);
  t.equal((await fetch(`${both.url}/v1/state`)).status, 200);
  const page = await fetch(`${both.url}/`);
  const pageBody = await page.text();
  // 503 when the dashboard has not been built in this checkout; either way the route exists.
  t.ok(page.status === 200 || JSON.parse(pageBody).code === 'DISC_ERR_DASHBOARD_NOT_BUILT', 'GET / is the dashboard');
  const configOnly = await startServer(t, { routes: ['config'] });
  t.equal((await fetch(`${configOnly.url}/v1/state`)).status, 404);
  t.equal((await fetch(`${configOnly.url}/`)).status, 404);
});

t.test('/openapi.json documents /v1/state and the route details the dashboard reads', async (t) => {
  const { url } = await startServer(t);
  const doc = (await (await fetch(`${url}/openapi.json`)).json()) as {
    paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }> } }>;
  };
  const stateOp = doc.paths['/v1/state']?.get;
  t.match(stateOp?.responses['200']?.content?.['application/json']?.schema, { required: ['version', 'mesh', 'proxies'] });
  t.ok(stateOp?.responses['304'], '304 documented');
  const routes = doc.paths['/v1/routes']?.get?.responses['200']?.content?.['application/json']?.schema as {
    properties: { items: { items: { properties: Record<string, { properties?: Record<string, unknown>; items?: { properties: Record<string, unknown> } }> } } };
  };
  const row = routes.properties.items.items.properties;
  t.ok(row['options'], 'RouteRow.options');
  t.ok(row['endpoints']?.items?.properties['conditions'], 'RouteEndpoint.conditions');
  t.notOk(doc.paths['/'], 'the page itself is not part of the JSON API');
});
