import t from 'tap';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DiscoverClient } from '../../src/client/discover-client.js';
import { isDiscoverHttpError } from '../../src/client/discover-http-error.js';
import type { DiscoverRequest, DiscoverTransport } from '../../src/client/discover-transport.js';
import { FakeDiscoverServer, ManualTimers } from './fake-discover-server.js';

async function fake(t: { teardown(fn: () => unknown): void }, doc: unknown = { a: 1 }, version = 'v1', msPerWaitSecond = 1000): Promise<FakeDiscoverServer> {
  const s = new FakeDiscoverServer(doc, version, msPerWaitSecond);
  await s.listen();
  t.teardown(() => s.close());
  return s;
}

/** A port that refuses connections: bound then closed. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

t.test('get 200: body, version without quotes, headers sent', async (t) => {
  const s = await fake(t, { hello: 'world' }, 'abc123');
  const c = new DiscoverClient({ baseUrl: s.url, headers: { 'x-meshplug-proxy-id': 'pod-1', 'x-meshplug-proxy-kind': 'mesh-proxy' } });
  const r = await c.get<{ hello: string }>('/v1/mesh/shop/web');
  t.same(r, { status: 200, etag: 'abc123', body: { hello: 'world' } });
  const seen = s.requests[0];
  t.equal(seen?.url, '/v1/mesh/shop/web', 'no wait without a version');
  t.equal(seen?.headers['x-meshplug-proxy-id'], 'pod-1');
  t.equal(seen?.headers['x-meshplug-proxy-kind'], 'mesh-proxy');
  t.equal(seen?.headers.accept, 'application/json');
  t.equal(seen?.headers['if-none-match'], undefined);
  t.equal(seen?.headers.authorization, undefined, 'no token, no header');
});

t.test('get 304: conditional request without waiting', async (t) => {
  const s = await fake(t);
  const c = new DiscoverClient({ baseUrl: s.url });
  t.same(await c.get('/v1/mesh/a/b', { etag: 'v1', waitSeconds: 0 }), { status: 304, etag: 'v1' });
  t.equal(s.requests[0]?.headers['if-none-match'], '"v1"');
  t.equal(s.requests[0]?.url, '/v1/mesh/a/b');
  t.same(await c.get('/v1/mesh/a/b', { etag: 'old', waitSeconds: 0 }), { status: 200, etag: 'v1', body: { a: 1 } });
});

t.test('long-poll: held until a new version is published, then handed off', async (t) => {
  const s = await fake(t);
  const c = new DiscoverClient({ baseUrl: s.url, waitSeconds: 20 });
  const pending = c.get('/v1/mesh/a/b', { etag: 'v1' });
  await s.waitForRequests(1);
  t.equal(s.requests[0]?.url, '/v1/mesh/a/b?wait=20');
  t.equal(s.heldCount, 1);
  s.publish({ a: 2 }, 'v2');
  t.same(await pending, { status: 200, etag: 'v2', body: { a: 2 } });
});

t.test('long-poll expiry answers 304; a longer per-call wait is passed on', async (t) => {
  const s = await fake(t, { a: 1 }, 'v1', 5);
  const c = new DiscoverClient({ baseUrl: s.url, waitSeconds: 1 });
  t.same(await c.get('/v1/mesh/a/b', { etag: 'v1', waitSeconds: 60 }), { status: 304, etag: 'v1' });
  t.equal(s.requests[0]?.url, '/v1/mesh/a/b?wait=60');
  await t.rejects(c.get('/x', { etag: 'v1', waitSeconds: 61 }), { code: 'API_ERR_INVALID_CLIENT_OPTIONS' });
});

t.test('404: API_ERR_DISCOVER_HTTP with status and the server code, message and reason', async (t) => {
  const s = await fake(t);
  s.fail({ kind: 'status', status: 404, body: JSON.stringify({ code: 'DISC_ERR_NOT_FOUND', message: 'unknown component shop/nope', reason: 'no Service shop/nope' }) });
  const c = new DiscoverClient({ baseUrl: s.url });
  const err = await c.get('/v1/mesh/shop/nope').then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(isDiscoverHttpError(err));
  if (!isDiscoverHttpError(err)) return;
  t.equal(err.code, 'API_ERR_DISCOVER_HTTP');
  t.equal(err.status, 404);
  t.equal(err.serverCode, 'DISC_ERR_NOT_FOUND');
  t.equal(err.serverMessage, 'unknown component shop/nope');
  t.equal(err.reason, 'no Service shop/nope');
  t.match(err.message, /HTTP 404 DISC_ERR_NOT_FOUND unknown component shop\/nope \(no Service shop\/nope\)/);
});

t.test('an error page that is not JSON keeps just the status', async (t) => {
  const s = await fake(t);
  s.fail({ kind: 'status', status: 502, body: '<html>bad gateway</html>' });
  const c = new DiscoverClient({ baseUrl: s.url });
  await t.rejects(c.get('/v1/mesh/a/b'), { code: 'API_ERR_DISCOVER_HTTP', status: 502, message: /HTTP 502$/ });
});

t.test('garbage 200 body: API_ERR_DISCOVER_HTTP', async (t) => {
  const s = await fake(t);
  s.fail({ kind: 'garbage' });
  const c = new DiscoverClient({ baseUrl: s.url });
  await t.rejects(c.get('/v1/mesh/a/b'), { code: 'API_ERR_DISCOVER_HTTP', status: 200, message: /not JSON/ });
});

t.test('connection refused: API_ERR_DISCOVER_UNREACHABLE', async (t) => {
  const c = new DiscoverClient({ baseUrl: `http://127.0.0.1:${await closedPort()}` });
  await t.rejects(c.get('/v1/mesh/a/b'), { code: 'API_ERR_DISCOVER_UNREACHABLE', message: /ECONNREFUSED/ });
});

t.test('no answer within the request timeout: API_ERR_DISCOVER_UNREACHABLE', async (t) => {
  const s = await fake(t);
  s.fail({ kind: 'hang' });
  const timers = new ManualTimers();
  const c = new DiscoverClient({ baseUrl: s.url, waitSeconds: 2, requestTimeoutMs: 4321, timers });
  const pending = c.get('/v1/mesh/a/b');
  await s.waitForRequests(1);
  t.equal(await timers.fireNext((ms) => ms === 4321), 4321);
  await t.rejects(pending, { code: 'API_ERR_DISCOVER_UNREACHABLE', message: /no answer within 4321 ms/ });
  const longer = c.get('/v1/mesh/a/b', { etag: 'v1', waitSeconds: 10 });
  t.equal(await timers.fireNext(() => true), 4321 + 8000, 'a longer wait keeps the margin');
  await t.rejects(longer, { code: 'API_ERR_DISCOVER_UNREACHABLE' });
});

t.test('caller abort: API_ERR_DISCOVER_ABORTED', async (t) => {
  const s = await fake(t);
  const c = new DiscoverClient({ baseUrl: s.url });
  const ac = new AbortController();
  const pending = c.get('/v1/mesh/a/b', { etag: 'v1', signal: ac.signal });
  await s.waitForRequests(1);
  ac.abort();
  await t.rejects(pending, { code: 'API_ERR_DISCOVER_ABORTED' });
  await t.rejects(c.get('/x', { signal: ac.signal }), { code: 'API_ERR_DISCOVER_ABORTED' }, 'already aborted');
});

t.test('token sent as bearer; a function is asked on every request', async (t) => {
  const s = await fake(t);
  await new DiscoverClient({ baseUrl: s.url, token: 'static' }).get('/a');
  let n = 0;
  const rotating = new DiscoverClient({ baseUrl: s.url, token: () => `t${++n}` });
  await rotating.get('/a');
  await rotating.get('/a');
  t.same(s.requests.map((r) => r.headers.authorization), ['Bearer static', 'Bearer t1', 'Bearer t2']);
});

t.test('base URL path prefix is kept', async (t) => {
  const s = await fake(t);
  await new DiscoverClient({ baseUrl: `${s.url}/gw/` }).get('/v1/mesh/a/b');
  t.equal(s.requests[0]?.url, '/gw/v1/mesh/a/b');
});

t.test('resources(): Rainbond path, encoded segments, ResourceSpec shape checked', async (t) => {
  const spec = { base_ports: [], base_services: [], base_normal: { options: { LOG_LEVEL: 'info' } } };
  const s = await fake(t, spec);
  const c = new DiscoverClient({ baseUrl: s.url });
  t.same(await c.resources('shop', 'web', 'net governance'), spec);
  t.equal(s.requests[0]?.url, '/v1/resources/shop/web/net%20governance');
  s.publish({ nope: true }, 'v2');
  await t.rejects(c.resources('shop', 'web', 'p'), { code: 'API_ERR_DISCOVER_HTTP', message: /not a ResourceSpec/ });
  s.publish(null, 'v3');
  await t.rejects(c.resources('shop', 'web', 'p'), { code: 'API_ERR_DISCOVER_HTTP' });
});

t.test('a given transport carries the requests', async (t) => {
  const sent: DiscoverRequest[] = [];
  const transport: DiscoverTransport = {
    send: (req) => {
      sent.push(req);
      return Promise.resolve({ status: 200, headers: { etag: '"v9"' }, text: '{"via":"transport"}' });
    },
  };
  const c = new DiscoverClient({ baseUrl: 'http://discover.invalid:6100', transport, headers: { 'x-meshplug-proxy-kind': 'mesh-proxy' } });
  t.same(await c.get('/v1/mesh/a/b', { etag: 'v1' }), { status: 200, etag: 'v9', body: { via: 'transport' } });
  t.equal(sent[0]?.method, 'GET');
  t.equal(sent[0]?.url.href, 'http://discover.invalid:6100/v1/mesh/a/b?wait=30');
  t.equal(sent[0]?.headers['if-none-match'], '"v1"');
  t.equal(sent[0]?.headers['x-meshplug-proxy-kind'], 'mesh-proxy');
});
