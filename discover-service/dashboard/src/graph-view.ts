import { h, mount, svg } from './dom.js';
import { edgeGeometry, layoutGraph } from './graph-layout.js';
import { portsLabel, type GraphEdge, type GraphNode, type MeshGraph } from './graph-model.js';
import type { Selection } from './selection.js';

const HEADER_HEIGHT = 48;
const PLUGIN_LINE = 17;
/** Namespace colours cycle through this many CSS classes (`ns-0` ...). */
const PALETTE_SIZE = 8;
/** Room right of the last column for edges that loop back. */
const LOOP_ROOM = 80;
/** Largest zoom of a small graph to fill its panel. */
const MAX_SCALE = 1.5;

export interface GraphViewProps {
  graph: MeshGraph;
  selection: Selection;
  onSelect(selection: Selection): void;
}

function nodeHeight(node: GraphNode): number {
  return HEADER_HEIGHT + node.plugins.length * PLUGIN_LINE + (node.plugins.length > 0 ? 6 : 0);
}

function namespaceClasses(graph: MeshGraph): Map<string, string> {
  const namespaces = [...new Set(graph.nodes.map((n) => n.namespace))].sort();
  return new Map(namespaces.map((ns, i) => [ns, `ns-${i % PALETTE_SIZE}`]));
}

function arrowMarker(id: string): SVGMarkerElement {
  return svg(
    'marker',
    { id, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse', class: id },
    svg('path', { d: 'M0,0 L10,5 L0,10 z' }),
  );
}

function drawNode(node: GraphNode, box: { x: number; y: number; width: number; height: number }, nsClass: string, selected: boolean, onSelect: GraphViewProps['onSelect']): SVGGElement {
  const endpoints = node.exists ? `${node.readyEndpoints}/${node.totalEndpoints} ready` : 'no such Service';
  const endpointClass = !node.exists || node.readyEndpoints === 0 ? 'node-endpoints bad' : 'node-endpoints';
  return svg(
    'g',
    {
      class: `node ${nsClass}${selected ? ' selected' : ''}${node.exists ? '' : ' missing'}`,
      transform: `translate(${box.x},${box.y})`,
      'data-node': node.id,
      tabindex: 0,
      role: 'button',
      onclick: () => onSelect({ kind: 'node', id: node.id }),
      onkeydown: (event: Event) => {
        if ((event as KeyboardEvent).key === 'Enter') onSelect({ kind: 'node', id: node.id });
      },
    },
    svg('title', null, `${node.id}${node.vip ? ` (VIP ${node.vip})` : ''}`),
    svg('rect', { class: 'node-box', width: box.width, height: box.height, rx: 8 }),
    svg('rect', { class: 'node-stripe', width: 6, height: box.height, rx: 3 }),
    svg('text', { class: 'node-name', x: 16, y: 21 }, node.name),
    svg('text', { class: 'node-sub', x: 16, y: 38 }, node.vip ? `${node.namespace} · ${node.vip}` : node.namespace),
    svg('text', { class: endpointClass, x: box.width - 10, y: 21, 'text-anchor': 'end' }, endpoints),
    ...node.plugins.map((p, i) =>
      svg(
        'text',
        { class: `node-plugin${p.enabled ? '' : ' disabled'}`, x: 16, y: HEADER_HEIGHT + 12 + i * PLUGIN_LINE },
        `▣ ${p.name} ${p.version}${p.enabled ? '' : ' (off)'}`,
      ),
    ),
  );
}

function drawEdge(edge: GraphEdge, geometry: ReturnType<typeof edgeGeometry>, selected: boolean, onSelect: GraphViewProps['onSelect']): SVGGElement {
  const select = (): void => onSelect({ kind: 'edge', from: edge.from, to: edge.to });
  const marker = selected ? 'arrow-selected' : `arrow-${edge.health}`;
  return svg(
    'g',
    {
      class: `edge health-${edge.health}${selected ? ' selected' : ''}`,
      'data-edge': edge.id,
      tabindex: 0,
      role: 'button',
      onclick: select,
      onkeydown: (event: Event) => {
        if ((event as KeyboardEvent).key === 'Enter') select();
      },
    },
    svg('title', null, `${edge.from} → ${edge.to}: ${portsLabel(edge)}`),
    svg('path', { class: 'edge-hit', d: geometry.d }),
    svg('path', { class: 'edge-line', d: geometry.d, 'marker-end': `url(#${marker})` }),
    svg('text', { class: 'edge-label', x: geometry.labelX, y: geometry.labelY, 'text-anchor': 'middle' }, portsLabel(edge)),
  );
}

/** Draws the mesh as an SVG graph: Services as boxes with their plugins, dependencies as labelled arrows. */
export function renderGraph(container: Element, props: GraphViewProps): void {
  const { graph, selection, onSelect } = props;
  if (graph.nodes.length === 0) {
    mount(container, h('p', { class: 'empty' }, 'No Services yet.'));
    return;
  }
  const nsClasses = namespaceClasses(graph);
  const layout = layoutGraph(
    graph.nodes.map((n) => ({ id: n.id, height: nodeHeight(n), group: n.namespace })),
    graph.edges,
  );
  const hasLoop = graph.edges.some((e) => (layout.boxes.get(e.to)?.layer ?? 0) <= (layout.boxes.get(e.from)?.layer ?? 0));
  const width = layout.width + (hasLoop ? LOOP_ROOM : 0);
  const edges = graph.edges.flatMap((edge) => {
    const from = layout.boxes.get(edge.from);
    const to = layout.boxes.get(edge.to);
    if (from === undefined || to === undefined) return [];
    const selected = selection.kind === 'edge' && selection.from === edge.from && selection.to === edge.to;
    return [drawEdge(edge, edgeGeometry(from, to), selected, onSelect)];
  });
  const nodes = graph.nodes.flatMap((node) => {
    const box = layout.boxes.get(node.id);
    if (box === undefined) return [];
    const selected = selection.kind === 'node' && selection.id === node.id;
    return [drawNode(node, box, nsClasses.get(node.namespace) ?? 'ns-0', selected, onSelect)];
  });
  const legend = h(
    'ul',
    { class: 'legend' },
    ...[...nsClasses].map(([ns, cls]) => h('li', { class: cls }, h('span', { class: 'swatch' }), ns)),
    h('li', { class: 'legend-edge health-ok' }, 'routable'),
    h('li', { class: 'legend-edge health-no-endpoints' }, 'no usable endpoint'),
    h('li', { class: 'legend-edge health-broken' }, 'no route'),
  );
  const picture = svg(
    'svg',
    { class: 'graph', width: '100%', viewBox: `0 0 ${width} ${layout.height}`, role: 'img', 'aria-label': 'Mesh graph' },
    svg('defs', null, ...['arrow-ok', 'arrow-no-endpoints', 'arrow-broken', 'arrow-selected'].map(arrowMarker)),
    svg('g', { class: 'edges' }, ...edges),
    svg('g', { class: 'nodes' }, ...nodes),
  );
  // Fills the panel, but a small mesh is not blown up past half again its size.
  picture.style.maxWidth = `${Math.round(width * MAX_SCALE)}px`;
  mount(container, legend, picture);
}
