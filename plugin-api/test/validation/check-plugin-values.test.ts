import t from 'tap';
import type { DependencyRef } from '../../src/model/component.js';
import type { PluginVersion } from '../../src/model/plugin.js';
import { checkPluginValues } from '../../src/validation/check-plugin-values.js';
import { validatePluginVersion } from '../../src/validation/validate-plugin-version.js';
import { pluginDoc } from './fixtures.js';

function plugin(): PluginVersion {
  const doc = pluginDoc();
  doc.configGroups[2].items.push(
    { name: 'FEATURES', type: 'checkbox', options: ['trace', 'metrics', 'logs'], default: 'metrics' },
    { name: 'MESH_ID', type: 'string', default: 'main', editable: false },
  );
  const result = validatePluginVersion(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const deps: DependencyRef[] = [
  { name: 'tomcat', namespace: 'shop' },
  { name: 'redis', namespace: 'cache' },
  { name: 'db', namespace: 'shop', port: 5432 },
];

t.test('the design values are fine, and so are no values', async (t) => {
  const values = {
    normal: { LOG_LEVEL: 'debug' },
    ports: { '8080': { OPEN_LIMIT: 'YES' } },
    services: { 'tomcat:8080': { LBPolicy: 'least_request' } },
  };
  t.strictSame(checkPluginValues(plugin(), values, deps, 'shop'), []);
  t.strictSame(checkPluginValues(plugin(), undefined, deps, 'shop'), []);
  t.strictSame(checkPluginValues(plugin(), {}, deps, 'shop'), []);
});

t.test('good values of every kind', async (t) => {
  const values = {
    normal: { FEATURES: 'trace,logs', MESH_ID: 'main' },
    services: {
      'tomcat.shop:8080': { Weight: '5' },
      'redis.cache:6379': { LBPolicy: 'peak_ewma' },
      'db:5432': { LBPolicy: 'random' },
    },
  };
  t.strictSame(checkPluginValues(plugin(), values, deps, 'shop'), [], 'non-editable item set to its default is allowed');
  t.strictSame(checkPluginValues(plugin(), { normal: { FEATURES: '' } }, deps, 'shop'), [], 'an empty checkbox');
});

t.test('each kind of wrong value', async (t) => {
  const cases: [string, Parameters<typeof checkPluginValues>[1], { path: string; reason: string }[]][] = [
    [
      'unknown item',
      { normal: { LOGLEVEL: 'debug' } },
      [
        {
          path: 'values.normal.LOGLEVEL',
          reason: 'unknown item `LOGLEVEL`: plugin net-governance 1.0.0 has no such item (items here: LOG_LEVEL, FEATURES, MESH_ID)',
        },
      ],
    ],
    [
      'item set in the wrong section',
      { ports: { '8080': { Weight: '3' } } },
      [{ path: 'values.ports["8080"].Weight', reason: 'item `Weight` is a downstream-port item: set it under values.services' }],
    ],
    [
      'non-editable item overridden',
      { normal: { MESH_ID: 'other' } },
      [{ path: 'values.normal.MESH_ID', reason: "item `MESH_ID` is not editable: remove it (the plugin's default `main` applies)" }],
    ],
    [
      'radio value not among options',
      { services: { 'tomcat:8080': { LBPolicy: 'ring_hash' } } },
      [
        {
          path: 'values.services["tomcat:8080"].LBPolicy',
          reason: 'must be one of round_robin, least_request, peak_ewma, random',
        },
      ],
    ],
    [
      'checkbox value not among options',
      { normal: { FEATURES: 'trace,profiles' } },
      [{ path: 'values.normal.FEATURES', reason: '`profiles` is not among the options (trace, metrics, logs)' }],
    ],
    [
      'ports key not a number',
      { ports: { http: { OPEN_LIMIT: 'YES' } } },
      [{ path: 'values.ports.http', reason: 'must be a port number from 1 to 65535' }],
    ],
    [
      'ports key out of range',
      { ports: { '70000': { OPEN_LIMIT: 'YES' } } },
      [{ path: 'values.ports["70000"]', reason: 'must be a port number from 1 to 65535' }],
    ],
    [
      'services key names no dependency',
      { services: { 'mysql:3306': { Weight: '1' } } },
      [
        {
          path: 'values.services["mysql:3306"]',
          reason: 'names no declared dependency (dependencies: tomcat.shop, redis.cache, db.shop:5432)',
        },
      ],
    ],
    [
      'services key in the wrong namespace',
      { services: { 'redis:6379': { Weight: '1' } } },
      [
        {
          path: 'values.services["redis:6379"]',
          reason: 'names no declared dependency (dependencies: tomcat.shop, redis.cache, db.shop:5432)',
        },
      ],
    ],
    [
      'services key with an undeclared port',
      { services: { 'db:5433': { Weight: '1' } } },
      [{ path: 'values.services["db:5433"]', reason: 'port 5433 is not a declared port of dependency db.shop:5432' }],
    ],
    [
      'services key without a port',
      { services: { tomcat: { Weight: '1' } } },
      [{ path: 'values.services.tomcat', reason: 'must name a dependency port, like `tomcat:8080`' }],
    ],
    [
      'services key malformed',
      { services: { 'tomcat:x': { Weight: '1' } } },
      [{ path: 'values.services["tomcat:x"]', reason: 'port `x` must be a number from 1 to 65535' }],
    ],
  ];
  for (const [title, values, expected] of cases) {
    t.strictSame(checkPluginValues(plugin(), values, deps, 'shop'), expected, title);
  }
});

t.test('a plugin without items of a kind says so', async (t) => {
  const bare: PluginVersion = { name: 'init-db', version: '1', type: 'init', image: 'busybox', configGroups: [] };
  t.strictSame(checkPluginValues(bare, { normal: { A: 'b' } }, [], 'shop'), [
    { path: 'values.normal.A', reason: 'unknown item `A`: plugin init-db 1 has no such item (it has no items of metaType none)' },
  ]);
  t.strictSame(checkPluginValues(bare, { services: { 'x:1': {} } }, [], 'shop'), [
    { path: 'values.services["x:1"]', reason: 'names no declared dependency (dependencies: none)' },
  ]);
});

t.test('paths can start at the plugin entry', async (t) => {
  t.strictSame(checkPluginValues(plugin(), { normal: { LOG_LEVEL: 'loud' } }, deps, 'shop', 'plugins[2].values'), [
    { path: 'plugins[2].values.normal.LOG_LEVEL', reason: 'must be one of debug, info, warn, error' },
  ]);
});
