import t from 'tap';
import { validatePluginVersion } from '../../src/validation/validate-plugin-version.js';
import type { ValidationIssue } from '../../src/validation/validated.js';
import { pluginDoc } from './fixtures.js';

const DNS_LABEL =
  "must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)";

t.test('the design example is a valid plugin version', async (t) => {
  const result = validatePluginVersion(pluginDoc());
  t.ok(result.ok);
  if (!result.ok) return;
  t.equal(result.value.name, 'net-governance');
  t.equal(result.value.configGroups.length, 3);
  t.strictSame(result.value.configGroups[0]?.items[0], {
    name: 'OPEN_LIMIT',
    type: 'radio',
    options: ['YES', 'NO'],
    default: 'NO',
    protocols: ['http'],
  });
});

t.test('a plugin without config groups gets an empty list', async (t) => {
  const result = validatePluginVersion({ name: 'init-db', version: '2', type: 'init', image: 'busybox' });
  t.strictSame(result, { ok: true, value: { name: 'init-db', version: '2', type: 'init', image: 'busybox', configGroups: [] } });
});

t.test('YAML scalars in defaults and options become strings; the input is not changed', async (t) => {
  const doc = pluginDoc();
  doc.configGroups[1].items[1].default = 100;
  doc.configGroups[2].items.push({ name: 'DEBUG', type: 'radio', options: [true, false], default: false });
  const result = validatePluginVersion(doc);
  t.ok(result.ok);
  if (!result.ok) return;
  t.equal(result.value.configGroups[1]?.items[1]?.default, '100');
  t.strictSame(result.value.configGroups[2]?.items[1], { name: 'DEBUG', type: 'radio', options: ['true', 'false'], default: 'false' });
  t.equal(doc.configGroups[1].items[1].default, 100, 'input untouched');
});

const invalid: [string, (doc: Record<string, any>) => unknown, ValidationIssue[]][] = [
  ['not a map', () => ['a'], [{ path: '', reason: 'must be a map' }]],
  ['missing name', (d) => void delete d.name, [{ path: 'name', reason: 'is required' }]],
  ['name not a DNS label', (d) => void (d.name = 'Net_Governance'), [{ path: 'name', reason: DNS_LABEL }]],
  ['name too long', (d) => void (d.name = 'a'.repeat(64)), [{ path: 'name', reason: 'must be at most 63 characters' }]],
  [
    'version read by YAML as a number',
    (d) => void (d.version = 1.1),
    [{ path: 'version', reason: 'must be a non-empty string (YAML read the number 1.1: quote the value)' }],
  ],
  ['empty version', (d) => void (d.version = ''), [{ path: 'version', reason: 'must be a non-empty string' }]],
  [
    'version not a label value',
    (d) => void (d.version = '1.0.0+build'),
    [
      {
        path: 'version',
        reason:
          "must be a valid Kubernetes label value (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)",
      },
    ],
  ],
  [
    'unknown type',
    (d) => void (d.type = 'net-plugin:up'),
    [{ path: 'type', reason: 'must be one of net-inbound, net-outbound, net-inout, analyst-perf, init, general' }],
  ],
  ['empty image', (d) => void (d.image = ''), [{ path: 'image', reason: 'must be a non-empty string' }]],
  ['unknown top-level key', (d) => void (d.imagePullPolicy = 'Always'), [{ path: '', reason: 'unknown key `imagePullPolicy`' }]],
  [
    'memory not a quantity',
    (d) => void (d.memory = '64MB'),
    [{ path: 'memory', reason: 'must be a Kubernetes quantity such as 64Mi, 1Gi, 100m or 0.5' }],
  ],
  [
    'negative cpu',
    (d) => void (d.cpu = '-100m'),
    [{ path: 'cpu', reason: 'must be a Kubernetes quantity such as 64Mi, 1Gi, 100m or 0.5' }],
  ],
  ['command not a list', (d) => void (d.command = 'run.sh'), [{ path: 'command', reason: 'must be a list' }]],
  [
    'bad metaType',
    (d) => void (d.configGroups[1].metaType = 'downstream'),
    [{ path: 'configGroups[1].metaType', reason: 'must be one of none, component-port, downstream-port' }],
  ],
  [
    'bad injection',
    (d) => void (d.configGroups[2].injection = 'file'),
    [{ path: 'configGroups[2].injection', reason: 'must be one of env, discover' }],
  ],
  ['group without items', (d) => void delete d.configGroups[0].items, [{ path: 'configGroups[0].items', reason: 'is required' }]],
  [
    'duplicate group names',
    (d) => void (d.configGroups[2].name = 'inbound'),
    [{ path: 'configGroups[2].name', reason: 'duplicate group name `inbound` (first at configGroups[0].name)' }],
  ],
  [
    'duplicate item names across groups',
    (d) => void (d.configGroups[2].items[0].name = 'Weight'),
    [{ path: 'configGroups[2].items[0].name', reason: 'duplicate item name `Weight` (first at configGroups[1].items[1].name)' }],
  ],
  [
    'item name with a space',
    (d) => void (d.configGroups[1].items[1].name = 'Lb Weight'),
    [
      {
        path: 'configGroups[1].items[1].name',
        reason: "must start with a letter or '_' and contain only letters, digits, '_', '.' and '-'",
      },
    ],
  ],
  [
    'unknown item type',
    (d) => void (d.configGroups[1].items[1].type = 'number'),
    [{ path: 'configGroups[1].items[1].type', reason: 'must be one of string, radio, checkbox' }],
  ],
  [
    'unknown item key',
    (d) => void (d.configGroups[1].items[1].required = true),
    [{ path: 'configGroups[1].items[1]', reason: 'unknown key `required`' }],
  ],
  [
    'radio default not among options',
    (d) => void (d.configGroups[1].items[0].default = 'ring_hash'),
    [{ path: 'configGroups[1].items[0].default', reason: 'must be one of round_robin, least_request, peak_ewma, random' }],
  ],
  [
    'radio without options',
    (d) => void delete d.configGroups[0].items[0].options,
    [{ path: 'configGroups[0].items[0].options', reason: 'must list at least one option for a radio item' }],
  ],
  [
    'checkbox with empty options',
    (d) => void d.configGroups[2].items.push({ name: 'FEATURES', type: 'checkbox', options: [] }),
    [{ path: 'configGroups[2].items[1].options', reason: 'must list at least one option for a checkbox item' }],
  ],
  [
    'checkbox defaults not among options',
    (d) =>
      void d.configGroups[2].items.push({ name: 'FEATURES', type: 'checkbox', options: ['a', 'b'], default: 'a, c,d' }),
    [{ path: 'configGroups[2].items[1].default', reason: '`c`, `d` are not among the options (a, b)' }],
  ],
  [
    'duplicate option',
    (d) => void d.configGroups[0].items[0].options.push('YES'),
    [{ path: 'configGroups[0].items[0].options[2]', reason: 'duplicate option `YES`' }],
  ],
  [
    'upper-case protocol',
    (d) => void (d.configGroups[0].items[0].protocols = ['http', 'GRPC']),
    [{ path: 'configGroups[0].items[0].protocols[1]', reason: 'must be a lower-case protocol name such as http, grpc or tcp' }],
  ],
  [
    'a map where a string default is expected',
    (d) => void (d.configGroups[1].items[1].default = { value: 100 }),
    [{ path: 'configGroups[1].items[1].default', reason: 'must be a string' }],
  ],
  [
    'a list where a string default is expected',
    (d) => void (d.configGroups[1].items[1].default = ['100']),
    [{ path: 'configGroups[1].items[1].default', reason: 'must be a string' }],
  ],
  [
    'editable not a boolean',
    (d) => void (d.configGroups[1].items[1].editable = 'no'),
    [{ path: 'configGroups[1].items[1].editable', reason: 'must be true or false' }],
  ],
];

for (const [title, mutate, expected] of invalid) {
  t.test(`invalid plugin version: ${title}`, async (t) => {
    const doc = pluginDoc();
    const replaced = mutate(doc);
    t.strictSame(validatePluginVersion(replaced ?? doc), { ok: false, issues: expected });
  });
}

t.test('every issue is reported at once', async (t) => {
  const doc = pluginDoc();
  delete doc.image;
  doc.type = 'sidecar';
  doc.configGroups[0].items[0].default = 'MAYBE';
  const result = validatePluginVersion(doc);
  t.strictSame(result.ok ? [] : result.issues.map((i) => i.path).sort(), ['configGroups[0].items[0].default', 'image', 'type']);
});
