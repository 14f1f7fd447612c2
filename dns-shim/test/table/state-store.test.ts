import t from 'tap';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StateStore } from '../../src/table/state-store.js';
import { sampleDocument, sampleTable } from '../helpers/tables.js';

t.test('nothing saved: no table, no problem', async (t) => {
  const dir = t.testdir({});
  t.same(await new StateStore(dir).load(), { saved: undefined, problems: [] });
});

t.test("mesh-proxy's mesh.json gives the table", async (t) => {
  const dir = t.testdir({ 'mesh.json': JSON.stringify(sampleDocument('m1')) });
  const { saved } = await new StateStore(dir).load();
  t.equal(saved?.version, 'm1');
  t.equal(saved?.dns.records.length, 2);
});

t.test('the newer of mesh.json and dns.json wins', async (t) => {
  const dir = t.testdir({ 'mesh.json': JSON.stringify(sampleDocument('m1')) });
  const store = new StateStore(dir);
  await store.save('d2', sampleTable({ ttl: 9 }));
  await utimes(join(dir, 'mesh.json'), new Date(1000), new Date(1000));
  t.equal((await store.load()).saved?.version, 'd2');
  await utimes(join(dir, 'dns.json'), new Date(500), new Date(500));
  t.equal((await store.load()).saved?.version, 'm1');
  t.same(JSON.parse(await readFile(join(dir, 'dns.json'), 'utf8')).version, 'd2');
});

t.test('a broken file is reported and the other one still used', async (t) => {
  const dir = t.testdir({ 'mesh.json': '{not json', 'dns.json': JSON.stringify({ version: 'd1', dns: sampleTable() }) });
  const { saved, problems } = await new StateStore(dir).load();
  t.equal(saved?.version, 'd1');
  t.equal(problems.length, 1);
  t.match(problems[0], { code: 'DNS_ERR_STATE_FILE' });
  await writeFile(join(dir, 'dns.json'), JSON.stringify({ dns: {} }));
  const again = await new StateStore(dir).load();
  t.equal(again.saved, undefined);
  t.equal(again.problems.length, 2);
});
