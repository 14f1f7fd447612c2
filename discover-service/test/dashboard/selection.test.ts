import t from 'tap';
import { formatSelection, parseSelection, type Selection } from '../../dashboard/src/selection.js';

t.test('a selection survives the URL fragment', async (t) => {
  const cases: Selection[] = [{ kind: 'none' }, { kind: 'node', id: 'shop/web' }, { kind: 'edge', from: 'shop/web', to: 'cache/redis' }];
  for (const selection of cases) t.same(parseSelection(formatSelection(selection)), selection);
  t.same(parseSelection('#edge=shop%2Fweb'), { kind: 'none' }, 'an edge needs both ends');
  t.same(parseSelection('#garbage'), { kind: 'none' });
});
