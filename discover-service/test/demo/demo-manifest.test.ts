import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { prepareDemoManifest } from '../../src/demo/demo-manifest.js';
import { DEMO_DEFAULTS, DEMO_TOPOLOGY } from '../../src/demo/demo-options.js';

const shop = readFileSync(DEMO_DEFAULTS.manifest, 'utf8');

interface Doc {
  kind?: string;
  metadata?: { name?: string };
  ports?: { port?: number }[];
}

t.test('the shop example: web and tomcat slices carry the outer port, the rest is untouched', async (t) => {
  const { yaml, pods } = prepareDemoManifest(shop, DEMO_TOPOLOGY);
  t.same(
    pods.map((p) => [p.name, p.service, p.address, [...p.ports]]),
    [
      ['web-0', 'web', '127.0.1.10', [[8080, 65380]]],
      ['tomcat-0', 'tomcat', '127.0.1.11', [[8080, 65380]]],
      ['tomcat-1', 'tomcat', '127.0.1.12', [[8080, 65380]]],
      ['tomcat-2', 'tomcat', '127.0.1.13', [[8080, 65380]]],
    ],
  );
  const docs = parseAllDocuments(yaml).map((d) => d.toJS() as Doc);
  const before = parseAllDocuments(shop).map((d) => d.toJS() as Doc);
  t.equal(docs.length, before.length, 'every object kept');
  const slicePort = (list: Doc[], name: string): number | undefined =>
    list.find((d) => d.kind === 'EndpointSlice' && d.metadata?.name === name)?.ports?.[0]?.port;
  t.equal(slicePort(docs, 'tomcat-1'), 65380);
  t.equal(slicePort(docs, 'web-1'), 65380);
  t.equal(slicePort(docs, 'redis-1'), 6379, 'unmeshed services keep the app port');
  t.same(docs.filter((d) => d.kind !== 'EndpointSlice'), before.filter((d) => d.kind !== 'EndpointSlice'), 'other objects unchanged');
  t.match(yaml, /^# Written by 'meshplug demo'/, 'says where it comes from');
});

t.test('refuses a manifest without the demo pods', async (t) => {
  t.throws(() => prepareDemoManifest(shop, { ...DEMO_TOPOLOGY, backend: 'nginx' }), { code: 'DISC_ERR_DEMO_INVALID_OPTIONS', message: /shop\/nginx/ });
  t.throws(() => prepareDemoManifest(shop, { ...DEMO_TOPOLOGY, client: 'tomcat' }), { code: 'DISC_ERR_DEMO_INVALID_OPTIONS', message: /exactly one endpoint/ });
  t.throws(() => prepareDemoManifest('a: [', DEMO_TOPOLOGY), { code: 'DISC_ERR_DEMO_INVALID_OPTIONS' });
});
