import t from 'tap';
import { adviseError } from '../../dashboard/src/error-hints.js';

t.test('an error names the object, the path inside it and the next step', async (t) => {
  const advice = adviseError({
    kind: 'component',
    namespace: 'shop',
    name: 'component-tomcat',
    path: 'data["component.yaml"].plugins[0].version',
    reason: 'must be a non-empty string',
    since: '2026-01-01T00:00:00.000Z',
  });
  t.same(advice, {
    object: 'ConfigMap shop/component-tomcat',
    where: 'data["component.yaml"].plugins[0].version',
    reason: 'must be a non-empty string',
    action: 'kubectl -n shop get configmap component-tomcat -o yaml — fix data["component.yaml"].plugins[0].version and apply again.',
  });
  t.match(adviseError({ kind: 'plugin', namespace: 'x', name: 'p', path: '', reason: 'r', since: '' }).action, /new version/);
  t.match(adviseError({ kind: 'source', name: 'file:/tmp/shop.yaml', path: 'line 3', reason: 'bad YAML', since: '' }), {
    object: 'source file:/tmp/shop.yaml',
    where: 'line 3',
    action: /last good state/,
  });
});
