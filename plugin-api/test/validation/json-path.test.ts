import t from 'tap';
import { joinPath, pointerToPath } from '../../src/validation/json-path.js';

t.test('joinPath quotes keys that are not identifiers', async (t) => {
  t.equal(joinPath('', 'plugins'), 'plugins');
  t.equal(joinPath('plugins', 0), 'plugins[0]');
  t.equal(joinPath('values.ports', '8080'), 'values.ports["8080"]');
  t.equal(joinPath('metadata.labels', 'mesh.io/plugin'), 'metadata.labels["mesh.io/plugin"]');
  t.equal(joinPath('', 'plugin.yaml'), '["plugin.yaml"]');
});

t.test('pointerToPath tells indexes from numeric keys by the data', async (t) => {
  const data = { plugins: [{ values: { ports: { '8080': { 'a/b': 'x', 'c~d': 'y' } } } }] };
  t.equal(pointerToPath(data, ''), '');
  t.equal(pointerToPath(data, '/plugins/0/values/ports/8080'), 'plugins[0].values.ports["8080"]');
  t.equal(pointerToPath(data, '/plugins/0/values/ports/8080/a~1b'), 'plugins[0].values.ports["8080"]["a/b"]');
  t.equal(pointerToPath(data, '/plugins/0/values/ports/8080/c~0d'), 'plugins[0].values.ports["8080"]["c~d"]');
  t.equal(pointerToPath(data, '/missing/3'), 'missing["3"]');
});
