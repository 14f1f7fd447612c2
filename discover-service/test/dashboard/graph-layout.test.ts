import t from 'tap';
import { edgeGeometry, layoutGraph, type LayoutEdge, type LayoutNode } from '../../dashboard/src/graph-layout.js';

const node = (id: string, group = 'shop', height = 50): LayoutNode => ({ id, height, group });

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

t.test('callers left of callees, layered by the longest path', async (t) => {
  const nodes = ['web', 'tomcat', 'redis', 'db'].map((id) => node(id));
  const edges: LayoutEdge[] = [
    { from: 'web', to: 'tomcat' },
    { from: 'tomcat', to: 'db' },
    { from: 'web', to: 'db' },
    { from: 'web', to: 'redis' },
  ];
  const { boxes, width, height } = layoutGraph(nodes, edges);
  t.same(['web', 'tomcat', 'redis', 'db'].map((id) => boxes.get(id)?.layer), [0, 1, 1, 2]);
  for (const e of edges) t.ok((boxes.get(e.from)?.x ?? 0) < (boxes.get(e.to)?.x ?? 0), `${e.from} left of ${e.to}`);
  const all = [...boxes.values()];
  for (const [i, a] of all.entries()) for (const b of all.slice(i + 1)) t.notOk(overlaps(a, b), 'no two boxes overlap');
  for (const b of all) t.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= width && b.y + b.height <= height, 'inside the canvas');
});

t.test('deterministic, whatever order the input comes in', async (t) => {
  const nodes = ['a', 'b', 'c', 'd', 'e'].map((id, i) => node(id, i % 2 === 0 ? 'x' : 'y', 40 + i * 10));
  const edges: LayoutEdge[] = [{ from: 'a', to: 'c' }, { from: 'b', to: 'c' }, { from: 'a', to: 'd' }, { from: 'e', to: 'd' }];
  const one = layoutGraph(nodes, edges);
  const two = layoutGraph([...nodes].reverse(), [...edges].reverse());
  t.same([...two.boxes].sort(), [...one.boxes].sort());
});

t.test('cycles, self loops and edges to unknown nodes neither hang nor break it', async (t) => {
  const nodes = ['a', 'b', 'c'].map((id) => node(id));
  const { boxes } = layoutGraph(nodes, [
    { from: 'a', to: 'b' },
    { from: 'b', to: 'c' },
    { from: 'c', to: 'a' },
    { from: 'a', to: 'a' },
    { from: 'a', to: 'ghost' },
  ]);
  t.equal(boxes.size, 3);
  t.same(['a', 'b', 'c'].map((id) => boxes.get(id)?.layer), [0, 1, 2], 'the edge closing the cycle is the one dropped');
});

t.test('a long chain lays out without deep recursion', async (t) => {
  const ids = Array.from({ length: 5000 }, (_, i) => `n${String(i).padStart(5, '0')}`);
  const { boxes } = layoutGraph(ids.map((id) => node(id)), ids.slice(1).map((id, i) => ({ from: ids[i] as string, to: id })), {
    nodeWidth: 10, columnGap: 10, rowGap: 10, margin: 0, sweeps: 1,
  });
  t.equal(boxes.get(ids[ids.length - 1] as string)?.layer, ids.length - 1);
});

t.test('edges run from the caller\'s right side; backward ones loop round to the callee\'s right side', async (t) => {
  const from = { x: 0, y: 0, width: 100, height: 40, layer: 0 };
  const to = { x: 200, y: 100, width: 100, height: 40, layer: 1 };
  t.match(edgeGeometry(from, to).d, /^M100,20 C.* 200,120$/);
  t.match(edgeGeometry(to, from).d, /^M300,120 C.* 100,20$/);
});
