import t from 'tap';
import type { ConfigMap } from '../../src/model/kube.js';
import { formatIssue } from '../../src/validation/format-issue.js';
import { parseComponentConfigMap, parsePluginConfigMap } from '../../src/validation/parse-config-maps.js';
import { MAX_YAML_KEY_BYTES } from '../../src/validation/read-yaml-key.js';
import type { Validated } from '../../src/validation/validated.js';
import { COMPONENT_YAML, componentConfigMap, PLUGIN_YAML, pluginConfigMap } from './fixtures.js';

const ref = (cm: ConfigMap): string => `ConfigMap ${cm.metadata.namespace ?? 'default'}/${cm.metadata.name}`;
const lines = (cm: ConfigMap, result: Validated<unknown>): string[] =>
  result.ok ? [] : result.issues.map((issue) => formatIssue(ref(cm), issue));

const BOMB = [
  'name: x',
  'a: &a [x, x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
].join('\n');

t.test('the design examples parse', async (t) => {
  const plugin = parsePluginConfigMap(pluginConfigMap());
  t.ok(plugin.ok, 'plugin ConfigMap');
  t.equal(plugin.ok && plugin.value.version, '1.0.0');
  const component = parseComponentConfigMap(componentConfigMap());
  t.ok(component.ok, 'component ConfigMap');
  t.same(component.ok && component.value.dependencies, ['tomcat', 'redis.cache']);
});

t.test('a few YAML aliases are fine', async (t) => {
  const cm = componentConfigMap({ data: { 'component.yaml': 'dependencies: &deps [tomcat]\nvaluesFrom: []\n' } });
  t.ok(parseComponentConfigMap(cm).ok);
});

const pluginCases: [string, ConfigMap, string[]][] = [
  [
    'not immutable',
    pluginConfigMap({ immutable: false }),
    [
      'ConfigMap meshplug-system/plugin-net-governance-1.0.0: immutable: must be true: a published plugin version is immutable, a change is published as a new version',
    ],
  ],
  [
    'immutable missing',
    pluginConfigMap({ immutable: undefined }),
    [
      'ConfigMap meshplug-system/plugin-net-governance-1.0.0: immutable: must be true: a published plugin version is immutable, a change is published as a new version',
    ],
  ],
  [
    'data key missing',
    pluginConfigMap({ data: { 'plugin.yml': PLUGIN_YAML } }),
    ['ConfigMap meshplug-system/plugin-net-governance-1.0.0: data["plugin.yaml"]: is required'],
  ],
  [
    'version label differs from plugin.yaml',
    pluginConfigMap({
      metadata: {
        name: 'plugin-net-governance-1.0.1',
        namespace: 'meshplug-system',
        labels: { 'mesh.io/plugin': 'net-governance', 'mesh.io/plugin-version': '1.0.1' },
      },
    }),
    [
      'ConfigMap meshplug-system/plugin-net-governance-1.0.1: metadata.labels["mesh.io/plugin-version"]: is `1.0.1` but plugin.yaml has version `1.0.0`',
    ],
  ],
  [
    'name label differs from plugin.yaml',
    pluginConfigMap({
      metadata: { name: 'p', namespace: 'ns', labels: { 'mesh.io/plugin': 'governance', 'mesh.io/plugin-version': '1.0.0' } },
    }),
    ['ConfigMap ns/p: metadata.labels["mesh.io/plugin"]: is `governance` but plugin.yaml has name `net-governance`'],
  ],
  [
    'version label missing',
    pluginConfigMap({ metadata: { name: 'p', namespace: 'ns', labels: { 'mesh.io/plugin': 'net-governance' } } }),
    ['ConfigMap ns/p: metadata.labels["mesh.io/plugin-version"]: is required'],
  ],
  [
    'YAML syntax error',
    pluginConfigMap({ data: { 'plugin.yaml': 'name: x\nconfigGroups:\n  - name: a\n   metaType: none\n' } }),
    [
      'ConfigMap meshplug-system/plugin-net-governance-1.0.0: plugin.yaml: is not valid YAML: Sequence item without - indicator (line 4, column 1)',
    ],
  ],
  [
    'YAML alias bomb',
    pluginConfigMap({ data: { 'plugin.yaml': BOMB } }),
    [
      'ConfigMap meshplug-system/plugin-net-governance-1.0.0: plugin.yaml: expands YAML aliases too often (limit 100): refused as a possible alias bomb',
    ],
  ],
  [
    'data key over 256 KiB',
    pluginConfigMap({ data: { 'plugin.yaml': `${PLUGIN_YAML}# ${'x'.repeat(MAX_YAML_KEY_BYTES)}\n` } }),
    [
      `ConfigMap meshplug-system/plugin-net-governance-1.0.0: data["plugin.yaml"]: is ${PLUGIN_YAML.length + MAX_YAML_KEY_BYTES + 3} bytes, over the limit of 262144 bytes (256 KiB)`,
    ],
  ],
  [
    'mutable and invalid inside: both reported',
    pluginConfigMap({ immutable: false, data: { 'plugin.yaml': PLUGIN_YAML.replace('type: net-inout', 'type: proxy') } }),
    [
      'ConfigMap meshplug-system/plugin-net-governance-1.0.0: immutable: must be true: a published plugin version is immutable, a change is published as a new version',
      'ConfigMap meshplug-system/plugin-net-governance-1.0.0: plugin.yaml: type: must be one of net-inbound, net-outbound, net-inout, analyst-perf, init, general',
    ],
  ],
];

for (const [title, cm, expected] of pluginCases) {
  t.test(`invalid plugin ConfigMap: ${title}`, async (t) => {
    t.strictSame(lines(cm, parsePluginConfigMap(cm)), expected);
  });
}

const componentCases: [string, ConfigMap, string[]][] = [
  [
    'data key missing',
    componentConfigMap({ data: {} }),
    ['ConfigMap shop/component-web: data["component.yaml"]: is required'],
  ],
  [
    'no data at all',
    componentConfigMap({ data: undefined }),
    ['ConfigMap shop/component-web: data["component.yaml"]: is required'],
  ],
  [
    'label missing',
    componentConfigMap({ metadata: { name: 'component-web', namespace: 'shop', labels: {} } }),
    ['ConfigMap shop/component-web: metadata.labels["mesh.io/component"]: is required'],
  ],
  [
    'label does not name a Service',
    componentConfigMap({ metadata: { name: 'component-web', namespace: 'shop', labels: { 'mesh.io/component': 'Web.App' } } }),
    [
      "ConfigMap shop/component-web: metadata.labels[\"mesh.io/component\"]: names a Service, so it must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit), at most 63 characters",
    ],
  ],
  [
    'duplicate YAML keys',
    componentConfigMap({ data: { 'component.yaml': 'dependencies: [a]\ndependencies: [b]\n' } }),
    ['ConfigMap shop/component-web: component.yaml: is not valid YAML: Map keys must be unique (line 2, column 1)'],
  ],
  [
    'two YAML documents in one key',
    componentConfigMap({ data: { 'component.yaml': 'dependencies: [a]\n---\nplugins: []\n' } }),
    [
      'ConfigMap shop/component-web: component.yaml: is not valid YAML: Source contains multiple documents; please use YAML.parseAllDocuments() (line 2, column 1)',
    ],
  ],
  [
    'plugin version empty',
    componentConfigMap({ data: { 'component.yaml': COMPONENT_YAML.replace('version: "1.0.0"', 'version: ""') } }),
    ['ConfigMap shop/component-web: component.yaml: plugins[0].version: must be a non-empty string'],
  ],
  [
    'a dependency of another namespace listed twice',
    componentConfigMap({ data: { 'component.yaml': 'dependencies: [redis.cache, redis.cache]\n' } }),
    ['ConfigMap shop/component-web: component.yaml: dependencies[1]: duplicate dependency `redis.cache` (first at dependencies[0])'],
  ],
];

for (const [title, cm, expected] of componentCases) {
  t.test(`invalid component ConfigMap: ${title}`, async (t) => {
    t.strictSame(lines(cm, parseComponentConfigMap(cm)), expected);
  });
}

t.test('a component ConfigMap need not be immutable', async (t) => {
  t.ok(parseComponentConfigMap(componentConfigMap({ immutable: false })).ok);
});

t.test('the component namespace is the ConfigMap namespace', async (t) => {
  const cm = componentConfigMap({ data: { 'component.yaml': 'dependencies: [tomcat, tomcat.shop]\n' } });
  t.equal(parseComponentConfigMap(cm).ok, false);
  const elsewhere = { ...cm, metadata: { ...cm.metadata, namespace: 'web' } };
  t.equal(parseComponentConfigMap(elsewhere).ok, true);
});
