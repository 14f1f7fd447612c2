import t from 'tap';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverOptionsFromEnv, splitDiscoverUrl } from '../../src/client/discover-client-env.js';
import { DiscoverClient } from '../../src/client/discover-client.js';

t.test('Rainbond DISCOVER_URL is split into base URL and document path', async (t) => {
  t.same(splitDiscoverUrl('http://10.0.0.1:6100/v1/resources/shop/web/net'), {
    baseUrl: 'http://10.0.0.1:6100',
    documentPath: '/v1/resources/shop/web/net',
  });
  t.same(splitDiscoverUrl('10.0.0.1:6100/v1/resources/a/b/c'), { baseUrl: 'http://10.0.0.1:6100', documentPath: '/v1/resources/a/b/c' });
  t.same(splitDiscoverUrl('https://gw.example/meshplug/v1/mesh/a/b'), { baseUrl: 'https://gw.example/meshplug', documentPath: '/v1/mesh/a/b' });
  t.same(splitDiscoverUrl('http://127.0.0.1:6100/'), { baseUrl: 'http://127.0.0.1:6100' });
  t.throws(() => splitDiscoverUrl('http://[bad'), { code: 'API_ERR_INVALID_CLIENT_OPTIONS' });
});

t.test('precedence: MESHPLUG_CONFIG_URL, DISCOVER_URL, XDS_HOST_IP', async (t) => {
  t.same(discoverOptionsFromEnv({ MESHPLUG_CONFIG_URL: 'http://a:1', DISCOVER_URL: 'http://b:2/v1/resources/x/y/z' }), { baseUrl: 'http://a:1' });
  t.same(discoverOptionsFromEnv({ MESHPLUG_CONFIG_URL: ' ', DISCOVER_URL: 'http://b:2/v1/resources/x/y/z' }), {
    baseUrl: 'http://b:2',
    documentPath: '/v1/resources/x/y/z',
  });
  t.same(discoverOptionsFromEnv({ XDS_HOST_IP: '198.18.0.1' }), { baseUrl: 'http://198.18.0.1:6100' });
  t.same(discoverOptionsFromEnv({ XDS_HOST_IP: 'fd00::1', API_HOST_PORT: '7000' }), { baseUrl: 'http://[fd00::1]:7000' });
  t.throws(() => discoverOptionsFromEnv({}), { code: 'API_ERR_INVALID_CLIENT_OPTIONS', message: /DISCOVER_URL/ });
});

t.test('MESHPLUG_TOKEN_FILE is re-read on every call (rotated tokens)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'meshplug-token-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'token');
  const opts = discoverOptionsFromEnv({ MESHPLUG_CONFIG_URL: 'http://a:1', MESHPLUG_TOKEN_FILE: file });
  const token = opts.token as () => string | undefined;
  t.equal(token(), undefined, 'missing file: no token');
  writeFileSync(file, 'one\n');
  t.equal(token(), 'one');
  writeFileSync(file, 'two');
  t.equal(token(), 'two');
});

t.test('DiscoverClient.fromEnv: env plus overrides', async (t) => {
  const c = DiscoverClient.fromEnv({ DISCOVER_URL: 'http://127.0.0.1:6100/v1/resources/shop/web/p' }, { waitSeconds: 5 });
  t.equal(c.options.baseUrl.href, 'http://127.0.0.1:6100/');
  t.equal(c.documentPath, '/v1/resources/shop/web/p');
  t.equal(c.options.waitSeconds, 5);
  t.equal(c.url(c.documentPath ?? '').href, 'http://127.0.0.1:6100/v1/resources/shop/web/p');
  const o = DiscoverClient.fromEnv({}, { baseUrl: 'http://127.0.0.2:1' });
  t.equal(o.options.baseUrl.host, '127.0.0.2:1', 'an explicit baseUrl needs no env');
  t.throws(() => DiscoverClient.fromEnv({}), { code: 'API_ERR_INVALID_CLIENT_OPTIONS' });
});
