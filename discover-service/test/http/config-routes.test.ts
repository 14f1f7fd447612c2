import t from 'tap';
import { startServer } from './helpers.js';
import { meshContent } from './fake-view.js';

const spec = {
  base_ports: [{ service_alias: 'web', service_id: 'uid-web', port: 8080, listen_port: 65301, protocol: 'http', options: { OPEN_LIMIT: 'NO' } }],
  base_services: [],
  base_normal: { options: { LOG_LEVEL: 'info' } },
};

t.test('GET /v1/resources answers the ResourceSpec with a quoted ETag', async (t) => {
  const { view, url } = await startServer(t);
  const version = view.setResources('shop', 'web', 'net-governance', spec);
  const res = await fetch(`${url}/v1/resources/shop/web/net-governance`);
  t.equal(res.status, 200);
  t.equal(res.headers.get('etag'), `"${version}"`);
  t.match(res.headers.get('content-type'), /^application\/json/);
  t.same(await res.json(), spec);
});

t.test('GET /v1/mesh answers the MeshDocument with a quoted ETag', async (t) => {
  const { view, url } = await startServer(t);
  const version = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const res = await fetch(`${url}/v1/mesh/shop/web`);
  t.equal(res.status, 200);
  t.equal(res.headers.get('etag'), `"${version}"`);
  const body = (await res.json()) as { version: string; outbound: { endpoints: unknown[] }[] };
  t.equal(body.version, version);
  t.equal(body.outbound[0]?.endpoints.length, 1);
});

t.test('unknown namespace, service or plugin is a JSON 404 with a reason, never 200 null', async (t) => {
  const { view, url } = await startServer(t);
  view.setResources('shop', 'web', 'net-governance', spec);
  for (const path of ['/v1/resources/shop/web/other', '/v1/resources/nope/web/net-governance', '/v1/mesh/shop/nope']) {
    const res = await fetch(url + path);
    t.equal(res.status, 404, path);
    t.match(res.headers.get('content-type'), /^application\/json/);
    const body = (await res.json()) as Record<string, string>;
    t.equal(body.code, 'DISC_ERR_NOT_FOUND', path);
    t.type(body.message, 'string');
    t.match(body.reason, /no (plugin|Service)/, path);
  }
});

t.test('If-None-Match without wait: 304 when current, 200 when different', async (t) => {
  const { view, url } = await startServer(t);
  const version = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const same = await fetch(`${url}/v1/mesh/shop/web`, { headers: { 'if-none-match': `"${version}"` } });
  t.equal(same.status, 304);
  t.equal(same.headers.get('etag'), `"${version}"`);
  t.equal(await same.text(), '');
  const other = await fetch(`${url}/v1/mesh/shop/web`, { headers: { 'if-none-match': '"older"' } });
  t.equal(other.status, 200);
  const weakList = await fetch(`${url}/v1/mesh/shop/web`, { headers: { 'if-none-match': `"x", W/"${version}"` } });
  t.equal(weakList.status, 304, 'a list with a weak tag matches too');
});

t.test('a different version answers at once even with ?wait', async (t) => {
  const { view, url, server } = await startServer(t);
  view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const res = await fetch(`${url}/v1/mesh/shop/web?wait=60`, { headers: { 'if-none-match': '"older"' } });
  t.equal(res.status, 200);
  t.equal(server.hub.size, 0);
});

t.test('bad wait values are a JSON 400', async (t) => {
  const { view, url } = await startServer(t);
  const version = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  for (const wait of ['abc', '-1', '1e999x']) {
    const res = await fetch(`${url}/v1/mesh/shop/web?wait=${wait}`, { headers: { 'if-none-match': `"${version}"` } });
    t.equal(res.status, 400, `wait=${wait}`);
    const body = (await res.json()) as Record<string, string>;
    t.equal(body.code, 'DISC_ERR_BAD_REQUEST');
    t.match(body.message, /wait/);
  }
});

t.test('malformed path names are a JSON 400', async (t) => {
  const { url } = await startServer(t);
  const res = await fetch(`${url}/v1/mesh/Shop_NS/web`);
  t.equal(res.status, 400);
  t.match(await res.json(), { code: 'DISC_ERR_BAD_REQUEST', message: /ns/ });
});

t.test('unknown routes are a JSON 404', async (t) => {
  const { url } = await startServer(t);
  const res = await fetch(`${url}/v2/nothing?x=1`);
  t.equal(res.status, 404);
  t.same(await res.json(), { code: 'DISC_ERR_NO_ROUTE', message: 'no such route: GET /v2/nothing' });
});

t.test('malformed sidecar headers are a JSON 400 naming the header', async (t) => {
  const { view, url } = await startServer(t);
  view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const noKind = await fetch(`${url}/v1/mesh/shop/web`, { headers: { 'x-meshplug-proxy-id': 'web-1' } });
  t.equal(noKind.status, 400);
  t.match(await noKind.json(), { code: 'DISC_ERR_BAD_REQUEST', message: /x-meshplug-proxy-kind/ });
  const badId = await fetch(`${url}/v1/mesh/shop/web`, { headers: { 'x-meshplug-proxy-id': '-bad id', 'x-meshplug-proxy-kind': 'mesh-proxy' } });
  t.equal(badId.status, 400);
  t.match(await badId.json(), { message: /x-meshplug-proxy-id/ });
});

t.test('documents are 503 with Retry-After until the sources are loaded, never half-built', async (t) => {
  const { view, url } = await startServer(t);
  view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  view.ready = false;
  for (const path of ['/v1/mesh/shop/web', '/v1/resources/shop/web/net-governance']) {
    const res = await fetch(url + path);
    t.equal(res.status, 503, path);
    t.equal(res.headers.get('retry-after'), '1');
    t.match(await res.json(), { code: 'DISC_ERR_NOT_READY', reason: /not finished loading/ });
  }
  view.ready = true;
  t.equal((await fetch(`${url}/v1/mesh/shop/web`)).status, 200);
});
