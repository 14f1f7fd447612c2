import t from 'tap';
import { validateComponentSpec } from '../../src/validation/validate-component-spec.js';
import type { ValidationIssue } from '../../src/validation/validated.js';
import { componentDoc } from './fixtures.js';

t.test('the design example is a valid component', async (t) => {
  const result = validateComponentSpec(componentDoc(), 'shop');
  t.strictSame(result, {
    ok: true,
    value: {
      dependencies: ['tomcat', 'redis.cache'],
      plugins: [
        {
          name: 'net-governance',
          version: '1.0.0',
          enabled: true,
          values: {
            normal: { LOG_LEVEL: 'debug' },
            ports: { '8080': { OPEN_LIMIT: 'YES' } },
            services: { 'tomcat:8080': { LBPolicy: 'least_request' } },
          },
        },
      ],
      valuesFrom: [{ configMap: 'mesh-global', prefix: 'global.' }],
    },
  });
});

t.test('an empty component is valid', async (t) => {
  t.strictSame(validateComponentSpec({}), { ok: true, value: {} });
});

t.test('enabled defaults to true; YAML scalars in values become strings', async (t) => {
  const doc = componentDoc();
  delete doc.plugins[0].enabled;
  doc.plugins[0].values.services['tomcat:8080'].Weight = 50;
  doc.plugins[0].values.normal.TRACE = true;
  const result = validateComponentSpec(doc, 'shop');
  t.ok(result.ok);
  if (!result.ok) return;
  const plugin = result.value.plugins?.[0];
  t.equal(plugin?.enabled, true);
  t.equal(plugin?.values?.services?.['tomcat:8080']?.['Weight'], '50');
  t.equal(plugin?.values?.normal?.['TRACE'], 'true');
  t.equal(doc.plugins[0].values.normal.TRACE, true, 'input untouched');
});

t.test('enabled: false is kept', async (t) => {
  const doc = componentDoc();
  doc.plugins[0].enabled = false;
  const result = validateComponentSpec(doc, 'shop');
  t.equal(result.ok && result.value.plugins?.[0]?.enabled, false);
});

const invalid: [string, (doc: Record<string, any>) => unknown, ValidationIssue[]][] = [
  ['a list instead of a map', () => [], [{ path: '', reason: 'must be a map' }]],
  ['unknown top-level key', (d) => void (d.dependency = ['tomcat']), [{ path: '', reason: 'unknown key `dependency`' }]],
  ['dependencies not a list', (d) => void (d.dependencies = 'tomcat'), [{ path: 'dependencies', reason: 'must be a list' }]],
  ['plugin without version', (d) => void delete d.plugins[0].version, [{ path: 'plugins[0].version', reason: 'is required' }]],
  ['plugin without name', (d) => void delete d.plugins[0].name, [{ path: 'plugins[0].name', reason: 'is required' }]],
  ['plugin with empty version', (d) => void (d.plugins[0].version = ''), [{ path: 'plugins[0].version', reason: 'must be a non-empty string' }]],
  ['enabled not a boolean', (d) => void (d.plugins[0].enabled = 'yes'), [{ path: 'plugins[0].enabled', reason: 'must be true or false' }]],
  [
    'plugin memory not a quantity',
    (d) => void (d.plugins[0].memory = '128 MB'),
    [{ path: 'plugins[0].memory', reason: 'must be a Kubernetes quantity such as 64Mi, 1Gi, 100m or 0.5' }],
  ],
  [
    'unknown values section',
    (d) => void (d.plugins[0].values.env = { A: 'b' }),
    [{ path: 'plugins[0].values', reason: 'unknown key `env`' }],
  ],
  [
    'a list where a value string is expected',
    (d) => void (d.plugins[0].values.normal.LOG_LEVEL = ['debug']),
    [{ path: 'plugins[0].values.normal.LOG_LEVEL', reason: 'must be a string' }],
  ],
  [
    'a map where a per-port value string is expected',
    (d) => void (d.plugins[0].values.ports['8080'].OPEN_LIMIT = { value: 'YES' }),
    [{ path: 'plugins[0].values.ports["8080"].OPEN_LIMIT', reason: 'must be a string' }],
  ],
  [
    'services entry not a map',
    (d) => void (d.plugins[0].values.services['tomcat:8080'] = 'least_request'),
    [{ path: 'plugins[0].values.services["tomcat:8080"]', reason: 'must be a map' }],
  ],
  [
    'duplicate plugin names',
    (d) => void d.plugins.push({ name: 'net-governance', version: '1.1.0' }),
    [{ path: 'plugins[1].name', reason: 'plugin `net-governance` is listed twice (first at plugins[0].name): one version per plugin' }],
  ],
  [
    'dependency with an upper-case name',
    (d) => void (d.dependencies[0] = 'Tomcat'),
    [
      {
        path: 'dependencies[0]',
        reason:
          "service name `Tomcat` must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)",
      },
    ],
  ],
  [
    'dependency with a bad port',
    (d) => void (d.dependencies[0] = 'tomcat:http'),
    [{ path: 'dependencies[0]', reason: 'port `http` must be a number from 1 to 65535' }],
  ],
  [
    'dependency with too many dots',
    (d) => void (d.dependencies[1] = 'redis.cache.svc.cluster.local'),
    [{ path: 'dependencies[1]', reason: '`redis.cache.svc.cluster.local` must be `name` or `name.namespace`, optionally followed by `:port`' }],
  ],
  ['empty dependency', (d) => void (d.dependencies[1] = ''), [{ path: 'dependencies[1]', reason: 'must be a non-empty string' }]],
  [
    'the same dependency twice, once with its namespace',
    (d) => void d.dependencies.push('tomcat.shop'),
    [{ path: 'dependencies[2]', reason: 'duplicate dependency `tomcat.shop` (first at dependencies[0])' }],
  ],
  ['valuesFrom without configMap', (d) => void (d.valuesFrom = [{ prefix: 'g.' }]), [{ path: 'valuesFrom[0].configMap', reason: 'is required' }]],
  [
    'valuesFrom with an unknown key',
    (d) => void (d.valuesFrom[0].key = 'x'),
    [{ path: 'valuesFrom[0]', reason: 'unknown key `key`' }],
  ],
  [
    'valuesFrom naming an invalid ConfigMap',
    (d) => void (d.valuesFrom[0].configMap = 'Mesh_Global'),
    [
      {
        path: 'valuesFrom[0].configMap',
        reason:
          "must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)",
      },
    ],
  ],
  ['valuesFrom prefix not a string', (d) => void (d.valuesFrom[0].prefix = 7), [{ path: 'valuesFrom[0].prefix', reason: 'must be a string (YAML read the number 7: quote the value)' }]],
];

for (const [title, mutate, expected] of invalid) {
  t.test(`invalid component: ${title}`, async (t) => {
    const doc = componentDoc();
    const replaced = mutate(doc);
    t.strictSame(validateComponentSpec(replaced ?? doc, 'shop'), { ok: false, issues: expected });
  });
}

t.test('dependency duplicates are judged in the component namespace', async (t) => {
  const doc = { dependencies: ['tomcat', 'tomcat.shop'] };
  t.equal(validateComponentSpec(doc, 'shop').ok, false);
  t.equal(validateComponentSpec(doc, 'other').ok, true, 'tomcat.other and tomcat.shop are different services');
});
