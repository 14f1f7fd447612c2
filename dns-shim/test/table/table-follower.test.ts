import t, { type Test } from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DiscoverClient, silentLogger } from '@meshplug/plugin-api';
import { DnsShim } from '../../src/dns-shim.js';
import { TableFollower } from '../../src/table/table-follower.js';
import { FakeDiscover, waitFor } from '../helpers/fake-discover.js';
import { sampleDocument, sampleTable } from '../helpers/tables.js';

function client(baseUrl: string): DiscoverClient {
  return new DiscoverClient({
    baseUrl,
    waitSeconds: 2,
    minBackoffMs: 10,
    maxBackoffMs: 50,
    headers: { 'x-meshplug-proxy-kind': 'dns-shim', 'x-meshplug-proxy-id': 'web-0' },
  });
}

async function follow(t: Test, opts: { baseUrl?: string; stateDir?: string }) {
  const shim = new DnsShim({ listen: '127.0.0.1:0' });
  const follower = new TableFollower({
    shim,
    ...(opts.baseUrl === undefined ? {} : { client: client(opts.baseUrl), path: '/v1/mesh/shop/web' }),
    ...(opts.stateDir === undefined ? {} : { stateDir: opts.stateDir }),
    logger: silentLogger(),
  });
  await follower.start();
  t.teardown(() => follower.stop());
  return { shim, follower };
}

const mysql = sampleTable({ records: [{ names: ['mysql'], service: 'shop/mysql', address: '127.1.0.12', ports: [] }] });

t.test('follows /v1/mesh by long-poll, identifies itself, reports the applied version, saves dns.json', async (t) => {
  const discover = await new FakeDiscover().start();
  t.teardown(() => discover.stop());
  const dir = t.testdir({});
  discover.publish(sampleDocument('v1'), 'v1');
  const { shim } = await follow(t, { baseUrl: discover.url, stateDir: dir });
  t.ok(await waitFor(() => shim.table?.version === 'v1'));
  discover.publish(sampleDocument('v2', mysql), 'v2');
  t.ok(await waitFor(() => shim.table?.version === 'v2'), 'the long-poll delivered v2');
  t.ok(await waitFor(() => discover.requests.some((h) => h['x-meshplug-applied-version'] === 'v2')));
  const h = discover.requests[0]!;
  t.equal(h['x-meshplug-proxy-kind'], 'dns-shim');
  t.equal(h['x-meshplug-proxy-id'], 'web-0');
  t.ok(await waitFor(async () => (await readFile(join(dir, 'dns.json'), 'utf8').catch(() => '')).includes('"v2"')));
});

t.test('starts from the state dir and keeps that table while discover-service is unreachable', async (t) => {
  const dir = t.testdir({ 'mesh.json': JSON.stringify(sampleDocument('saved')) });
  const { shim } = await follow(t, { baseUrl: 'http://127.0.0.1:9', stateDir: dir });
  t.equal(shim.table?.version, 'saved', 'applied before start() resolved');
  await new Promise((r) => setTimeout(r, 100));
  t.equal(shim.table?.version, 'saved');
});

t.test('a saved version equal to the served one is not re-applied; a newer one is', async (t) => {
  const discover = await new FakeDiscover().start();
  t.teardown(() => discover.stop());
  discover.publish(sampleDocument('v1'), 'v1');
  const dir = t.testdir({ 'mesh.json': JSON.stringify(sampleDocument('v1')) });
  const { shim } = await follow(t, { baseUrl: discover.url, stateDir: dir });
  t.ok(await waitFor(() => discover.requests.length >= 1));
  t.equal(discover.requests[0]?.['if-none-match'], '"v1"', 'polls from the saved version');
  discover.publish(sampleDocument('v2', mysql), 'v2');
  t.ok(await waitFor(() => shim.table?.version === 'v2'));
  const updates = await shim.metrics.tableUpdates.get();
  t.same(updates.values.map((v) => [v.labels.source, v.value]).sort(), [['discover', 1], ['state-file', 1]]);
});

t.test('an invalid document is rejected and the last table kept', async (t) => {
  const discover = await new FakeDiscover().start();
  t.teardown(() => discover.stop());
  discover.publish(sampleDocument('v1'), 'v1');
  const { shim } = await follow(t, { baseUrl: discover.url });
  t.ok(await waitFor(() => shim.table?.version === 'v1'));
  discover.publish({ ...sampleDocument('bad'), dns: { ...sampleTable(), records: [{ names: ['x y'], service: 'a/b', address: '127.0.0.1', ports: [] }] } }, 'bad');
  t.ok(await waitFor(() => discover.requests.some((h) => h['if-none-match'] === '"bad"')), 'moved on to wait for the next version');
  t.equal(shim.table?.version, 'v1');
  discover.publish({ version: 'x' }, 'not-a-doc');
  t.ok(await waitFor(() => discover.requests.some((h) => h['if-none-match'] === '"not-a-doc"')));
  t.equal(shim.table?.version, 'v1');
});

t.test('only the dns part is checked: parts that are mesh-proxy\'s do not stop a good table', async (t) => {
  const discover = await new FakeDiscover().start();
  t.teardown(() => discover.stop());
  discover.publish({ ...sampleDocument('v1'), inbound: 'not a list' }, 'v1');
  const { shim } = await follow(t, { baseUrl: discover.url });
  t.ok(await waitFor(() => shim.table?.version === 'v1'));
});

t.test('state dir only (no discover-service): the saved table, nothing else', async (t) => {
  const dir = t.testdir({});
  await writeFile(join(dir, 'dns.json'), JSON.stringify({ version: 'd1', dns: sampleTable() }));
  const { shim } = await follow(t, { stateDir: dir });
  t.equal(shim.table?.version, 'd1');
});

t.test('an invalid saved table is ignored', async (t) => {
  const dir = t.testdir({ 'dns.json': JSON.stringify({ version: 'd1', dns: { records: 1 } }) });
  const { shim } = await follow(t, { stateDir: dir });
  t.equal(shim.table, undefined);
});
