import t from 'tap';
import { ApiError, OpsApi, type FetchLike } from '../../dashboard/src/api-client.js';

function fakeFetch(answers: Record<string, { status: number; body?: unknown }>) {
  const seen: { url: string; headers: Record<string, string> }[] = [];
  const fetchFn: FetchLike = async (url, init) => {
    seen.push({ url, headers: init.headers });
    const answer = answers[url.replace(/^http:\/\/h/, '')] ?? { status: 404, body: { code: 'DISC_ERR_NO_ROUTE', message: 'no such route' } };
    return { status: answer.status, json: async () => (answer.body === undefined ? Promise.reject(new Error('no body')) : answer.body) };
  };
  return { fetchFn, seen };
}

t.test('state: first read plain, then a long poll with If-None-Match; 304 is undefined', async (t) => {
  const state = { version: 'v1', mesh: 'm', proxies: 'p' };
  const { fetchFn, seen } = fakeFetch({ '/v1/state': { status: 200, body: state }, '/v1/state?wait=55': { status: 304 } });
  const api = new OpsApi(fetchFn, 'http://h');
  t.same(await api.state(), state);
  t.equal(await api.state('v1', 55), undefined);
  t.same(seen, [
    { url: 'http://h/v1/state', headers: {} },
    { url: 'http://h/v1/state?wait=55', headers: { 'if-none-match': '"v1"' } },
  ]);
});

t.test('lists are unwrapped; readiness comes from /readyz; errors carry the code and reason', async (t) => {
  const items = (n: number) => ({ status: 200, body: { items: Array.from({ length: n }, (_, i) => ({ i })) } });
  const { fetchFn } = fakeFetch({
    '/v1/routes': items(1),
    '/v1/services': items(2),
    '/v1/components': items(3),
    '/v1/plugins': items(4),
    '/v1/errors': items(5),
    '/readyz': { status: 503, body: { status: 'not ready' } },
    '/v1/proxies': { status: 500, body: { code: 'DISC_ERR_INTERNAL', message: 'internal error', reason: 'boom' } },
  });
  const api = new OpsApi(fetchFn, 'http://h');
  const lists = await api.meshLists();
  t.same([lists.routes.length, lists.services.length, lists.components.length, lists.plugins.length, lists.errors.length], [1, 2, 3, 4, 5]);
  t.equal(lists.ready, false);
  const error = await api.proxies().catch((err: unknown) => err);
  t.ok(error instanceof ApiError);
  t.match(error, { status: 500, code: 'DISC_ERR_INTERNAL', message: '/v1/proxies: HTTP 500 internal error: boom' });
});
