import t from 'tap';
import { Agent } from 'undici';
import { resolveDiscoverClientOptions, DISCOVER_CLIENT_DEFAULTS } from '../../src/client/discover-client-options.js';
import { NodeHttpTransport } from '../../src/client/node-http-transport.js';
import { UndiciTransport } from '../../src/client/undici-transport.js';

t.test('defaults in one place, frozen', async (t) => {
  const o = resolveDiscoverClientOptions({ baseUrl: 'http://127.0.0.1:6100' });
  t.equal(o.waitSeconds, DISCOVER_CLIENT_DEFAULTS.waitSeconds);
  t.equal(o.waitSeconds, 30);
  t.equal(o.requestTimeoutMs, 35_000);
  t.equal(o.minBackoffMs, 250);
  t.equal(o.maxBackoffMs, 10_000);
  t.equal(o.token(), undefined);
  t.ok(Object.isFrozen(o));
  t.ok(Object.isFrozen(o.headers));
  t.equal(resolveDiscoverClientOptions({ baseUrl: 'http://h', waitSeconds: 10 }).requestTimeoutMs, 15_000);
});

t.test('headers are lower-cased, token string becomes a function', async (t) => {
  const o = resolveDiscoverClientOptions({ baseUrl: 'https://h', headers: { 'X-Meshplug-Proxy-Id': 'p1' }, token: 'abc' });
  t.same(o.headers, { 'x-meshplug-proxy-id': 'p1' });
  t.equal(o.token(), 'abc');
});

t.test('every bad field is reported at once', async (t) => {
  t.throws(() => resolveDiscoverClientOptions({ baseUrl: 'not a url' }), { code: 'API_ERR_INVALID_CLIENT_OPTIONS', message: /baseUrl not a url: not a URL/ });
  t.throws(() => resolveDiscoverClientOptions({ baseUrl: 'ftp://h' }), { message: /protocol must be http/ });
  t.throws(() => resolveDiscoverClientOptions({ baseUrl: 'http://h/?x=1' }), { message: /no query/ });
  for (const waitSeconds of [0, 61, 1.5, Number.NaN]) {
    t.throws(() => resolveDiscoverClientOptions({ baseUrl: 'http://h', waitSeconds }), { message: /waitSeconds/ }, `wait ${waitSeconds}`);
  }
  t.throws(() => resolveDiscoverClientOptions({ baseUrl: 'http://h', waitSeconds: 5, requestTimeoutMs: 5000 }), { message: /requestTimeoutMs 5000/ });
  t.throws(() => resolveDiscoverClientOptions({ baseUrl: 'http://h', minBackoffMs: 0 }), { message: /minBackoffMs 0/ });
  t.throws(() => resolveDiscoverClientOptions({ baseUrl: 'http://h', minBackoffMs: 500, maxBackoffMs: 100 }), { message: /maxBackoffMs 100/ });
  t.throws(() => resolveDiscoverClientOptions({ baseUrl: 'http://h', headers: { a: 1 as unknown as string } }), { message: /headers.a/ });
  t.throws(
    () => resolveDiscoverClientOptions({ baseUrl: 'ftp://h', waitSeconds: 0, maxBackoffMs: -1 }),
    { message: /protocol.*waitSeconds.*maxBackoffMs/ },
  );
});

t.test('transport: node:http by default, undici for a dispatcher, never both', async (t) => {
  t.ok(resolveDiscoverClientOptions({ baseUrl: 'http://h' }).transport instanceof NodeHttpTransport);
  const agent = new Agent();
  t.teardown(() => agent.close());
  t.ok(resolveDiscoverClientOptions({ baseUrl: 'http://h', dispatcher: agent }).transport instanceof UndiciTransport);
  const own = { send: () => Promise.reject(new Error('unused')) };
  t.equal(resolveDiscoverClientOptions({ baseUrl: 'http://h', transport: own }).transport, own);
  t.throws(() => resolveDiscoverClientOptions({ baseUrl: 'http://h', transport: own, dispatcher: agent }), { message: /transport and dispatcher/ });
});
