import t from 'tap';
import { stringify } from 'yaml';
import { waitUntil } from '../bench/lib/timing.js';
import { ScenarioHarness } from './lib/scenario-harness.js';
import { PLUGIN, readyEndpoint, scenarioYaml, type ScenarioMesh } from './lib/scenario-manifest.js';

/*
 * Bad input, config, through `meshplug serve --source file:` as a user runs
 * it: every invalid plugin and component shape is rejected with the object,
 * the path and the reason on /v1/errors while the rest of the mesh is still
 * served; YAML alias bombs and objects over the size limit are refused; a
 * broken manifest file keeps the last good mesh.
 */
const NET = '127.0.26';
const NAMESPACE = 'rel-config';
const MESH: ScenarioMesh = {
  namespace: NAMESPACE,
  webAddress: `${NET}.10`,
  services: [
    { name: 'tomcat', ports: [8080], meshed: false, endpoints: [readyEndpoint('tomcat-0', `${NET}.11`)] },
    ...['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ name, ports: [8080], meshed: false, endpoints: [] })),
  ],
  outboundValues: { 'tomcat:8080': { LBPolicy: 'least_request' } },
};

const BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
  'dependencies: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
].join('\n');

function configMap(name: string, labels: Record<string, string>, data: Record<string, string>, immutable = false): object {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NAMESPACE, labels }, ...(immutable ? { immutable } : {}), data };
}

const plugin = (name: string, spec: object): object =>
  configMap(`plugin-${name}`, { 'mesh.io/plugin': name, 'mesh.io/plugin-version': '1.0.0' }, { 'plugin.yaml': stringify({ name, version: '1.0.0', image: 'x/y:1', ...spec }) }, true);

const component = (service: string, yaml: string): object => configMap(`component-${service}`, { 'mesh.io/component': service }, { 'component.yaml': yaml });

const usesPlugin = (values: object, version: string = PLUGIN.version): string =>
  stringify({ dependencies: ['tomcat'], plugins: [{ name: PLUGIN.name, version, enabled: true, values }] });

/** Each bad object, and what /v1/errors must say about it: object name, path and reason. */
const BAD: { what: string; object: object; name: string; path: RegExp; reason: RegExp }[] = [
  {
    what: 'plugin with an unknown type',
    object: plugin('bad-type', { type: 'net-sideways', configGroups: [] }),
    name: 'plugin-bad-type',
    path: /type/,
    reason: /net-inbound|must be/,
  },
  {
    what: 'plugin radio item whose default is not an option',
    object: plugin('bad-default', {
      type: 'general',
      configGroups: [{ name: 'g', metaType: 'none', injection: 'env', items: [{ name: 'MODE', type: 'radio', options: ['a', 'b'], default: 'c' }] }],
    }),
    name: 'plugin-bad-default',
    path: /configGroups\[0\]\.items\[0\]\.default/,
    reason: /must be one of a, b/,
  },
  { what: 'component with dependencies not a list', object: component('a', 'dependencies: 5\n'), name: 'component-a', path: /dependencies/, reason: /array|list/ },
  {
    what: 'component naming a plugin version that does not exist',
    object: component('b', usesPlugin({}, '9.9.9')),
    name: 'component-b',
    path: /plugins\[0\]/,
    reason: /9\.9\.9/,
  },
  {
    what: 'component setting an item the plugin does not declare',
    object: component('c', usesPlugin({ services: { 'tomcat:8080': { NoSuchItem: '1' } } })),
    name: 'component-c',
    path: /NoSuchItem/,
    reason: /.+/,
  },
  {
    what: 'component with a value outside a radio item',
    object: component('d', usesPlugin({ services: { 'tomcat:8080': { LBPolicy: 'fastest' } } })),
    name: 'component-d',
    path: /LBPolicy/,
    reason: /fastest|one of|option/,
  },
  { what: 'component YAML alias bomb', object: component('e', BOMB), name: 'component-e', path: /.*/, reason: /alias/ },
  {
    what: 'component over the 256 KiB size limit',
    object: component('f', `dependencies: [tomcat]\n# ${'x'.repeat(300 * 1024)}\n`),
    name: 'component-f',
    path: /component\.yaml/,
    reason: /over the limit/,
  },
];

interface ConfigError {
  kind: string;
  namespace?: string;
  name: string;
  path: string;
  reason: string;
}

async function errors(h: ScenarioHarness): Promise<ConfigError[]> {
  return ((await (await fetch(`${h.configUrl}/v1/errors`)).json()) as { items: ConfigError[] }).items;
}

t.setTimeout(300_000);

t.test('invalid plugins and components are refused precisely while the rest of the mesh is served', async (t) => {
  const h = await ScenarioHarness.start({ mesh: MESH, source: { kind: 'file' }, dir: t.testdir({}), discoverAddress: `${NET}.1` });
  t.teardown(() => h.close());
  const good = scenarioYaml(MESH);
  await h.writeManifest([good, ...BAD.map((b) => stringify(b.object))].join('---\n'));
  await waitUntil('every bad object listed', async () => (await errors(h)).filter((e) => BAD.some((b) => b.name === e.name)).length >= BAD.length, 20_000, 100);
  const listed = await errors(h);
  for (const bad of BAD) {
    const found = listed.filter((e) => e.name === bad.name && e.namespace === NAMESPACE);
    t.ok(found.length > 0, `${bad.what}: listed on /v1/errors`);
    t.ok(
      found.some((e) => bad.path.test(e.path) && bad.reason.test(e.reason)),
      `${bad.what}: path and reason (${found.map((e) => `${e.path}: ${e.reason}`).join('; ').slice(0, 300)})`,
    );
  }
  t.comment(`/v1/errors: ${listed.length} entries, e.g. ${listed.slice(0, 3).map((e) => `${e.kind} ${e.name} ${e.path}: ${e.reason}`).join(' | ')}`);

  const mesh = await fetch(`${h.configUrl}/v1/mesh/${NAMESPACE}/web`);
  t.equal(mesh.status, 200, 'web (valid) is still served on /v1/mesh');
  const doc = (await mesh.json()) as { outbound: { service: string; policy: string }[] };
  t.equal(doc.outbound.find((c) => c.service === 'tomcat')?.policy, 'least_request', "web's own options still apply");
  const resources = await fetch(`${h.configUrl}/v1/resources/${NAMESPACE}/web/${PLUGIN.name}`);
  t.equal(resources.status, 200, 'DISCOVER_URL of web still 200');
  const rejected = await fetch(`${h.configUrl}/v1/resources/${NAMESPACE}/b/${PLUGIN.name}`);
  t.equal(rejected.status, 404, 'a rejected component has no DISCOVER_URL resource (JSON 404)');
  t.match(await rejected.json(), { code: /^DISC_ERR_/ });
});

t.test('a manifest file that is a YAML alias bomb or not YAML keeps the last good mesh', async (t) => {
  const h = await ScenarioHarness.start({ mesh: MESH, source: { kind: 'file' }, dir: t.testdir({}), discoverAddress: `${NET}.2` });
  t.teardown(() => h.close());
  const before = await h.webDocument();
  for (const [what, text] of [
    ['alias bomb', `${BOMB}\nkind: ConfigMap\n`],
    ['not YAML', 'kind: [unclosed\n  - {\n'],
  ] as const) {
    await h.writeManifest(text);
    await waitUntil(`a source problem for the ${what}`, async () => (await errors(h)).some((e) => e.kind === 'source'), 20_000, 100);
    const problem = (await errors(h)).find((e) => e.kind === 'source');
    t.comment(`${what}: ${problem?.path}: ${problem?.reason.slice(0, 200)}`);
    t.ok(problem !== undefined, `${what}: reported as a source problem`);
    t.equal((await fetch(`${h.configUrl}/healthz`)).status, 200, `${what}: discover-service still alive`);
    t.same((await h.webDocument()).version, before.version, `${what}: the last good mesh is still served`);
    await h.writeManifest(scenarioYaml(MESH));
    await waitUntil('problem cleared', async () => !(await errors(h)).some((e) => e.kind === 'source'), 20_000, 100);
  }
});
