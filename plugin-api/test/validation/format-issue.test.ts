import t from 'tap';
import { formatIssue } from '../../src/validation/format-issue.js';

t.test('object, key, path and reason on one line', async (t) => {
  t.equal(
    formatIssue('ConfigMap shop/component-web', { key: 'component.yaml', path: 'plugins[0].version', reason: 'must be a non-empty string' }),
    'ConfigMap shop/component-web: component.yaml: plugins[0].version: must be a non-empty string',
  );
  t.equal(formatIssue('ConfigMap a/b', { path: 'immutable', reason: 'must be true' }), 'ConfigMap a/b: immutable: must be true');
  t.equal(formatIssue('ConfigMap a/b', { key: 'plugin.yaml', path: '', reason: 'is not valid YAML' }), 'ConfigMap a/b: plugin.yaml: is not valid YAML');
  t.equal(formatIssue('ConfigMap a/b', { path: '', reason: 'must be a map' }), 'ConfigMap a/b: must be a map');
});
