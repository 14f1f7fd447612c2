/**
 * A small layered ("Sugiyama-style") layout: callers on the left, callees to the right.
 * Layers by longest path over the graph with cycles broken, order within a layer by a few
 * barycenter sweeps. Deterministic: the same input always gives the same picture.
 */

export interface LayoutNode {
  id: string;
  height: number;
  /** Nodes of a group (namespace) start next to each other in a layer. */
  group: string;
}

export interface LayoutEdge {
  from: string;
  to: string;
}

export interface LayoutOptions {
  nodeWidth: number;
  columnGap: number;
  rowGap: number;
  margin: number;
  /** Barycenter sweeps (down and up count as one each). */
  sweeps: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  layer: number;
}

export interface Layout {
  boxes: Map<string, Box>;
  width: number;
  height: number;
}

export const DEFAULT_LAYOUT: Readonly<LayoutOptions> = Object.freeze({ nodeWidth: 210, columnGap: 120, rowGap: 28, margin: 24, sweeps: 4 });

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Edges that keep the graph acyclic: a DFS in id order drops the edges that close a cycle. */
function acyclicEdges(ids: readonly string[], edges: readonly LayoutEdge[]): LayoutEdge[] {
  const out = new Map<string, string[]>();
  for (const e of edges) if (e.from !== e.to) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  for (const targets of out.values()) targets.sort(compare);
  const state = new Map<string, 'open' | 'done'>();
  const kept: LayoutEdge[] = [];
  for (const root of ids) {
    if (state.has(root)) continue;
    // Iterative DFS: a long dependency chain must not overflow the stack.
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { id: string; next: number };
      const targets = out.get(top.id) ?? [];
      if (top.next >= targets.length) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const to = targets[top.next++] as string;
      const seen = state.get(to);
      if (seen === 'open') continue;
      kept.push({ from: top.id, to });
      if (seen === undefined) {
        state.set(to, 'open');
        stack.push({ id: to, next: 0 });
      }
    }
  }
  return kept;
}

/** Longest-path layer of every node over acyclic edges (sources in layer 0). */
function layers(ids: readonly string[], edges: readonly LayoutEdge[]): Map<string, number> {
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  const out = new Map<string, string[]>();
  for (const e of edges) {
    indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
    out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  }
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => indegree.get(id) === 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    for (const to of out.get(id) ?? []) {
      layer.set(to, Math.max(layer.get(to) ?? 0, (layer.get(id) ?? 0) + 1));
      const left = (indegree.get(to) ?? 0) - 1;
      indegree.set(to, left);
      if (left === 0) queue.push(to);
    }
  }
  return layer;
}

/** Places every node; edges to unknown ids are ignored. */
export function layoutGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], options: LayoutOptions = DEFAULT_LAYOUT): Layout {
  const known = new Map(nodes.map((n) => [n.id, n]));
  const ids = [...known.keys()].sort(compare);
  const usable = edges.filter((e) => known.has(e.from) && known.has(e.to));
  const acyclic = acyclicEdges(ids, usable);
  const layerOf = layers(ids, acyclic);
  const layerCount = Math.max(0, ...layerOf.values()) + 1;

  const columns: string[][] = Array.from({ length: layerCount }, () => []);
  const byGroup = (a: string, b: string): number => compare(known.get(a)?.group ?? '', known.get(b)?.group ?? '') || compare(a, b);
  for (const id of [...ids].sort(byGroup)) columns[layerOf.get(id) ?? 0]?.push(id);

  // Neighbours in both directions, over every edge (cycles included): they pull nodes level.
  const neighbours = new Map<string, string[]>();
  for (const e of usable) {
    if (e.from === e.to) continue;
    neighbours.set(e.from, [...(neighbours.get(e.from) ?? []), e.to]);
    neighbours.set(e.to, [...(neighbours.get(e.to) ?? []), e.from]);
  }
  const position = new Map<string, number>();
  const place = (): void => {
    for (const column of columns) column.forEach((id, i) => position.set(id, (i + 0.5) / column.length));
  };
  place();
  for (let sweep = 0; sweep < options.sweeps; sweep++) {
    const order = sweep % 2 === 0 ? columns : [...columns].reverse();
    for (const column of order) {
      const score = new Map<string, number>();
      for (const id of column) {
        const near = (neighbours.get(id) ?? []).map((n) => position.get(n) ?? 0);
        score.set(id, near.length === 0 ? (position.get(id) ?? 0) : near.reduce((a, b) => a + b, 0) / near.length);
      }
      // Stable sort: ties keep the previous order, so sweeps cannot oscillate on equal scores.
      column.sort((a, b) => (score.get(a) ?? 0) - (score.get(b) ?? 0));
      column.forEach((id, i) => position.set(id, (i + 0.5) / column.length));
    }
  }

  const columnHeight = (column: readonly string[]): number =>
    column.reduce((sum, id) => sum + (known.get(id)?.height ?? 0), 0) + Math.max(0, column.length - 1) * options.rowGap;
  const tallest = Math.max(0, ...columns.map(columnHeight));
  const boxes = new Map<string, Box>();
  columns.forEach((column, layer) => {
    let y = options.margin + (tallest - columnHeight(column)) / 2;
    for (const id of column) {
      const height = known.get(id)?.height ?? 0;
      boxes.set(id, { x: options.margin + layer * (options.nodeWidth + options.columnGap), y, width: options.nodeWidth, height, layer });
      y += height + options.rowGap;
    }
  });
  return {
    boxes,
    width: options.margin * 2 + layerCount * options.nodeWidth + Math.max(0, layerCount - 1) * options.columnGap,
    height: options.margin * 2 + tallest,
  };
}

/** SVG path of an edge and where its label goes: a curve from the caller's right side to the callee's left side. */
export function edgeGeometry(from: Box, to: Box): { d: string; labelX: number; labelY: number } {
  const x1 = from.x + from.width;
  const y1 = from.y + from.height / 2;
  if (to.layer > from.layer) {
    const x2 = to.x;
    const y2 = to.y + to.height / 2;
    const bend = Math.max(40, (x2 - x1) / 2);
    return { d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`, labelX: (x1 + x2) / 2, labelY: (y1 + y2) / 2 - 6 };
  }
  // Backwards or within a layer (a cycle): leave right, loop round and enter the callee from its right side.
  const x2 = to.x + to.width;
  const y2 = to.y + to.height / 2;
  const reach = Math.max(x1, x2) + 60;
  return { d: `M${x1},${y1} C${reach},${y1} ${reach},${y2} ${x2},${y2}`, labelX: reach - 20, labelY: (y1 + y2) / 2 - 6 };
}
