import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { tokenFromFile } from '@meshplug/plugin-api';
import { MeshProxy } from '../src/index.js';
import { FakeDiscover } from './helpers/fake-discover.js';
import { meshDoc, NS, SVC } from './helpers/mesh-doc.js';
import { waitFor } from './helpers/net.js';

t.test('the projected token is sent as a bearer token and re-read when it rotates', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mp-token-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'token');
  await writeFile(file, 'first-token\n');
  const discover = await new FakeDiscover(meshDoc('v1', {})).start(0);
  t.teardown(() => discover.close());
  const proxy = new MeshProxy({
    configUrl: discover.url,
    namespace: NS,
    service: SVC,
    adminAddress: '127.0.0.1:0',
    token: tokenFromFile(file),
  });
  t.teardown(() => proxy.stop());
  await proxy.start();
  await waitFor(() => discover.polls.some((p) => p.authorization === 'Bearer first-token'));
  await writeFile(file, 'second-token\n');
  discover.set(meshDoc('v2', {}));
  await waitFor(() => discover.polls.some((p) => p.authorization === 'Bearer second-token'));
  t.pass('both tokens were sent');
});
