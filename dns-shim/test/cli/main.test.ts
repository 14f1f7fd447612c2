import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '@meshplug/plugin-api';
import { runCli } from '../../src/cli/main.js';
import { meshDocumentLocation, startDnsShim } from '../../src/cli/start-dns-shim.js';
import { FakeDiscover, waitFor } from '../helpers/fake-discover.js';
import { FakeUpstream } from '../helpers/fake-upstream.js';
import { decodeReply, query, udpExchange } from '../helpers/dns-client.js';
import { sampleDocument } from '../helpers/tables.js';

t.test('--help prints the flags and exits 0; a bad flag or value exits 2', async (t) => {
  const out: string[] = [];
  const err: string[] = [];
  const io = { env: { MESHPLUG_LOG_LEVEL: 'silent' }, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } };
  t.equal(await runCli('dns', ['--help'], io), 0);
  t.equal(await runCli('dns', ['--bogus'], io), 2);
  t.equal(await runCli('dns', ['--listen', 'nowhere', '--metrics', 'off', '--log-level', 'silent'], io), 2);
  t.equal(await runCli('dns', ['--config-url', 'http://127.0.0.1:1', '--listen', '127.0.0.1:0', '--metrics', 'off', '--log-level', 'silent'], io), 2);
  t.match(out.join(''), /--config-url VALUE.*MESHPLUG_CONFIG_URL/s);
  t.match(out.join(''), /--upstream VALUE/);
  t.match(err.join(''), /DNS_ERR_INVALID_OPTIONS: .*listen nowhere/);
  t.match(err.join(''), /give --namespace and --service/);
});

t.test('config URL: the full /v1/mesh URL, or a base URL with namespace and service', async (t) => {
  t.same(meshDocumentLocation('http://d:6100/v1/mesh/shop/web', undefined, undefined), {
    baseUrl: 'http://d:6100',
    path: '/v1/mesh/shop/web',
  });
  t.same(meshDocumentLocation('http://d:6100', 'shop', 'web'), { baseUrl: 'http://d:6100', path: '/v1/mesh/shop/web' });
  t.same(meshDocumentLocation('d:6100/v1/resources/shop/web/p', 'shop', 'web'), { baseUrl: 'http://d:6100', path: '/v1/mesh/shop/web' });
  t.throws(() => meshDocumentLocation('http://d:6100', 'shop', undefined), { code: 'DNS_ERR_INVALID_OPTIONS' });
});

t.test('startDnsShim wires discover-service, the server and the metrics endpoint', async (t) => {
  const discover = await new FakeDiscover().start();
  const up = await new FakeUpstream().start();
  discover.publish(sampleDocument('v1'), 'v1');
  const running = await startDnsShim({
    shim: { listen: '127.0.0.1:0', upstreams: [up.address] },
    configUrl: `${discover.url}/v1/mesh/shop/web`,
    proxyId: 'web-1',
    metricsListen: '127.0.0.1:0',
    logger: silentLogger(),
  });
  t.teardown(async () => {
    await running.stop();
    await discover.stop();
    await up.stop();
  });
  t.ok(await waitFor(() => running.shim.table?.version === 'v1'));
  t.same(decodeReply(await udpExchange(running.address.port, query('tomcat'))).answers?.map((a) => a.data), ['127.1.0.10']);
  const ready = await fetch(`http://127.0.0.1:${running.metricsAddress?.port}/ready`);
  t.equal(ready.status, 200);
  t.equal(discover.requests[0]?.['x-meshplug-proxy-id'], 'web-1');
});

t.test('startDnsShim sends the token file as a bearer token, re-read on every request', async (t) => {
  const dir = t.testdir({ token: 'token-one\n' });
  const discover = await new FakeDiscover().start();
  discover.publish(sampleDocument('v1'), 'v1');
  const running = await startDnsShim({
    shim: { listen: '127.0.0.1:0' },
    configUrl: `${discover.url}/v1/mesh/shop/web`,
    proxyId: 'web-1',
    tokenFile: join(dir, 'token'),
    logger: silentLogger(),
  });
  t.teardown(async () => {
    await running.stop();
    await discover.stop();
  });
  t.ok(await waitFor(() => running.shim.table?.version === 'v1'));
  t.equal(discover.requests[0]?.authorization, 'Bearer token-one');
  // kubelet rotates the projected token in place: the next poll carries the new one.
  writeFileSync(join(dir, 'token'), 'token-two');
  discover.publish(sampleDocument('v2'), 'v2');
  t.ok(await waitFor(() => discover.requests.some((h) => h.authorization === 'Bearer token-two')));
});

t.test('meshplug dns reads MESHPLUG_TOKEN_FILE (--token-file)', async (t) => {
  const out: string[] = [];
  const io = { env: {}, stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true } };
  t.equal(await runCli('dns', ['--help'], io), 0);
  t.match(out.join(''), /--token-file VALUE.*\[env MESHPLUG_TOKEN_FILE\]/);
});

t.test('startDnsShim refuses a bad metrics address before binding anything', async (t) => {
  await t.rejects(
    startDnsShim({ shim: { listen: '127.0.0.1:0' }, proxyId: 'x', metricsListen: 'nope', logger: silentLogger() }),
    { code: 'DNS_ERR_INVALID_OPTIONS' },
  );
});
