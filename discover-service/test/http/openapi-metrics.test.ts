import t from 'tap';
import { startServer, waitFor } from './helpers.js';
import { meshContent } from './fake-view.js';
import { fillShop } from './sample-rows.js';

const ROUTES = [
  '/v1/resources/{ns}/{service}/{plugin}',
  '/v1/mesh/{ns}/{service}',
  '/v1/routes',
  '/v1/services',
  '/v1/services/{ns}/{name}',
  '/v1/plugins',
  '/v1/components',
  '/v1/proxies',
  '/v1/stats',
  '/v1/errors',
  '/v1/state',
  '/healthz',
  '/readyz',
  '/metrics',
  '/openapi.json',
];

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}

t.test('/openapi.json documents every route with its response schemas', async (t) => {
  const { url } = await startServer(t);
  const res = await fetch(`${url}/openapi.json`);
  t.equal(res.status, 200);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, { get?: Operation }> };
  t.equal(doc.openapi, '3.1.0');
  t.same(Object.keys(doc.paths).sort(), [...ROUTES, '/v1/proxies/report'].sort());
  for (const path of ROUTES) {
    const op = doc.paths[path]?.get;
    t.ok(op?.responses['200'], `${path} documents its 200 answer`);
  }
  const mesh = doc.paths['/v1/mesh/{ns}/{service}']?.get;
  const meshSchema = mesh?.responses['200']?.content?.['application/json']?.schema as { required?: string[] } | undefined;
  t.same(meshSchema?.required, ['version', 'namespace', 'service', 'inbound', 'outbound', 'dns'], 'the MeshDocument schema');
  t.ok(mesh?.responses['304'] && mesh.responses['404'] && mesh.responses['400'], 'long-poll and error answers documented');
  const resources = doc.paths['/v1/resources/{ns}/{service}/{plugin}']?.get;
  const specSchema = resources?.responses['200']?.content?.['application/json']?.schema as { required?: string[] } | undefined;
  t.same(specSchema?.required, ['base_ports', 'base_services', 'base_normal'], 'the ResourceSpec schema');
  const proxies = doc.paths['/v1/proxies']?.get?.responses['200']?.content?.['application/json']?.schema as {
    properties: { items: { items: { required: string[] } } };
  };
  t.ok(proxies.properties.items.items.required.includes('appliedVersion'));
});

/** Parses Prometheus text format into `name{labels}` -> value, checking every line's syntax. */
function parseProm(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    // Values as Go's ParseFloat reads them: prom-client writes `Nan` for empty event-loop stats.
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (-?[0-9.e+-]+|nan|[+-]inf)$/i.exec(line);
    if (match === null) throw new Error(`not Prometheus text: ${line}`);
    samples.set(match[1] as string, Number(match[2]));
  }
  return samples;
}

t.test('/metrics is Prometheus text with request, long-poll, push and error series', async (t) => {
  const { view, url, server } = await startServer(t);
  fillShop(view);
  const version = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  await fetch(`${url}/v1/mesh/shop/web`);
  await fetch(`${url}/v1/mesh/shop/nope`);
  await fetch(`${url}/v1/mesh/shop/web`, { headers: { 'if-none-match': '"old"' } });
  const held = fetch(`${url}/v1/mesh/shop/web?wait=30`, { headers: { 'if-none-match': `"${version}"` } });
  await waitFor(() => server.hub.size === 1, 'the poll to be held');

  const during = await fetch(`${url}/metrics`);
  t.equal(during.status, 200);
  t.match(during.headers.get('content-type'), /^text\/plain/);
  const first = parseProm(await during.text());
  t.equal(first.get('meshplug_longpoll_waiters'), 1);
  t.equal(first.get('meshplug_config_errors'), 1);
  t.equal(first.get('meshplug_http_requests_total{method="GET",route="/v1/mesh/:ns/:service",status="200"}'), 2);
  t.equal(first.get('meshplug_http_requests_total{method="GET",route="/v1/mesh/:ns/:service",status="404"}'), 1);
  t.equal(first.get('meshplug_config_pushes_total{kind="mesh",trigger="immediate"}'), 1);
  t.ok(first.has('process_cpu_user_seconds_total'), 'default metrics');
  t.ok(first.has('meshplug_http_request_duration_seconds_count{method="GET",route="/v1/mesh/:ns/:service",status="200"}'));

  view.setMesh('shop', 'web', meshContent(['127.0.1.12']));
  await held;
  const after = parseProm(await (await fetch(`${url}/metrics`)).text());
  t.equal(after.get('meshplug_config_pushes_total{kind="mesh",trigger="change"}'), 1);
  t.equal(after.get('meshplug_longpoll_waiters'), 0);
  t.equal(after.get('meshplug_http_requests_total{method="GET",route="/metrics",status="200"}'), 1);
});

t.test('two servers in one process keep separate registries', async (t) => {
  const a = await startServer(t);
  const b = await startServer(t);
  await fetch(`${a.url}/healthz`);
  const bText = parseProm(await (await fetch(`${b.url}/metrics`)).text());
  t.notOk(bText.has('meshplug_http_requests_total{method="GET",route="/healthz",status="200"}'));
});
