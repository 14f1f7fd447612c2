import t from 'tap';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import {
  componentSummarySchema,
  configErrorSchema,
  listOf,
  pluginSummarySchema,
  proxyStatusSchema,
  routeRowSchema,
  serviceSummarySchema,
} from '../../src/http/schemas/ops-schemas.js';
import { startServer } from './helpers.js';
import { fillShop } from './sample-rows.js';

const ajv = new Ajv({ allErrors: true });
addFormats.default(ajv);

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

t.test('every ops list answers {items} matching its schema', async (t) => {
  const { view, url } = await startServer(t);
  fillShop(view);
  const cases: [string, object, number][] = [
    ['/v1/routes', listOf('Routes', routeRowSchema), 3],
    ['/v1/services', listOf('Services', serviceSummarySchema), 2],
    ['/v1/plugins', listOf('Plugins', pluginSummarySchema), 1],
    ['/v1/components', listOf('Components', componentSummarySchema), 1],
    ['/v1/errors', listOf('ConfigErrors', configErrorSchema), 1],
    ['/v1/proxies', listOf('Proxies', proxyStatusSchema), 0],
  ];
  for (const [path, schema, count] of cases) {
    const { status, body } = await getJson(url + path);
    t.equal(status, 200, path);
    const validate = ajv.compile(schema);
    t.ok(validate(body), `${path} matches its schema: ${ajv.errorsText(validate.errors)}`);
    t.equal((body as { items: unknown[] }).items.length, count, path);
  }
  const errors = (await getJson(`${url}/v1/errors`)).body as { items: Record<string, string>[] };
  t.same(errors.items[0], view.errorRows[0], 'errors carry the exact path and reason');
});

t.test('/v1/routes filters by namespace and service', async (t) => {
  const { view, url } = await startServer(t);
  fillShop(view);
  const web = (await getJson(`${url}/v1/routes?namespace=shop&service=web`)).body as { items: { dependency: string }[] };
  t.same(web.items.map((r) => r.dependency), ['shop/tomcat', 'cache/redis']);
  const api = (await getJson(`${url}/v1/routes?service=api`)).body as { items: { problem?: string }[] };
  t.equal(api.items.length, 1);
  t.match(api.items[0]?.problem, /does not exist/);
  t.equal((await getJson(`${url}/v1/routes?namespace=`)).status, 400, 'an empty filter is malformed');
});

t.test('/v1/services/:ns/:name answers one Service or a JSON 404 with a reason', async (t) => {
  const { view, url } = await startServer(t);
  fillShop(view);
  const one = await getJson(`${url}/v1/services/shop/tomcat`);
  t.equal(one.status, 200);
  t.ok(ajv.validate(serviceSummarySchema, one.body), ajv.errorsText());
  t.same(one.body, view.serviceRows[0]);
  const missing = await getJson(`${url}/v1/services/shop/nope`);
  t.equal(missing.status, 404);
  t.same(missing.body, { code: 'DISC_ERR_NOT_FOUND', message: 'not found: service shop/nope', reason: 'no Service nope in namespace shop' });
});

t.test('/healthz is always up; /readyz is 503 until the view is ready', async (t) => {
  const { view, url } = await startServer(t);
  view.ready = false;
  t.same(await getJson(`${url}/healthz`), { status: 200, body: { status: 'ok' } });
  t.same(await getJson(`${url}/readyz`), { status: 503, body: { status: 'not ready' } });
  view.ready = true;
  t.same(await getJson(`${url}/readyz`), { status: 200, body: { status: 'ready' } });
});

t.test('an unexpected failure is a logged JSON 500 that leaks nothing', async (t) => {
  const { view, url } = await startServer(t);
  view.services = () => {
    throw new Error('secret internals');
  };
  const res = await getJson(`${url}/v1/services`);
  t.equal(res.status, 500);
  t.same(res.body, { code: 'DISC_ERR_INTERNAL', message: 'internal error' });
});
