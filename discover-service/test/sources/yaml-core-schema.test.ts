import t from 'tap';
import { parse } from 'yaml';
import { loadCoreYaml } from '../../src/sources/yaml-core-schema.js';

// Plain scalars where YAML 1.1, js-yaml's default schema and the 1.2 core schema disagree.
const SCALARS = [
  '', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'yes', 'no', 'on', 'off', 'y', 'n',
  '0', '-0', '+12', '007', '0o17', '0o8', '0x1F', '0X1F', '0b101', '1_000', '12345678901234567890', '1:20', '8080',
  '1.5', '-.5', '+1.', '.5e3', '1e3', '1E-2', '1.0', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN', 'inf', 'nan',
  '2024-01-01', '2024-01-01T00:00:00Z', '1.0.0', 'v1', '10.0.0.1', '64Mi', '0.5', '<<', '=', '"quoted"', "'single'",
];

t.test('plain scalars resolve exactly as the yaml package (YAML 1.2 core schema) resolves them', async (t) => {
  for (const scalar of SCALARS) {
    const text = `value: ${scalar}\nlist: [${scalar === '' ? '~' : scalar}]\n`;
    t.strictSame(loadCoreYaml(text), parse(text), JSON.stringify(scalar));
  }
});

t.test('merge keys are ordinary keys, as in YAML 1.2', async (t) => {
  const text = 'a: { x: 1 }\nb:\n  <<: { y: 2 }\n';
  t.strictSame(loadCoreYaml(text), parse(text));
});

t.test('explicit core tags work; tags outside the core schema are refused so the caller falls back', async (t) => {
  t.strictSame(loadCoreYaml('a: !!str 123\nb: !!int "7"\nc: !!float "1.5"\n'), parse('a: !!str 123\nb: !!int "7"\nc: !!float "1.5"\n'));
  t.throws(() => loadCoreYaml('a: !!timestamp 2024-01-01\n'));
  t.throws(() => loadCoreYaml('a: !custom x\n'));
});

t.test('several documents or a syntax error throw', async (t) => {
  t.throws(() => loadCoreYaml('a: 1\n---\nb: 2\n'));
  t.throws(() => loadCoreYaml('a: [1\n'));
  t.throws(() => loadCoreYaml('a: 1\na: 2\n'), 'duplicate keys');
});
