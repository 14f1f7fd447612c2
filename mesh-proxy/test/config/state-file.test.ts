import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { StateFile } from '../../src/config/state-file.js';
import { meshDoc } from '../helpers/mesh-doc.js';

const dir = await mkdtemp(join(tmpdir(), 'mesh-proxy-statefile-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));

t.test('round trip, written by rename (no temporary file left)', async (t) => {
  const file = new StateFile(join(dir, 'nested'));
  t.equal(await file.read(), undefined, 'no file yet');
  const doc = meshDoc('v3', {});
  await file.write(doc);
  t.same(await file.read(), doc);
  t.same(await readdir(join(dir, 'nested')), ['mesh.json']);
});

t.test('a file that is not a mesh document is an error', async (t) => {
  const file = new StateFile(dir);
  await writeFile(file.path, '{"version": 1}');
  await t.rejects(file.read(), { code: 'MESH_ERR_STATE_FILE' });
  await writeFile(file.path, 'garbage');
  await t.rejects(file.read(), { code: 'MESH_ERR_STATE_FILE', message: /not JSON/ });
});
