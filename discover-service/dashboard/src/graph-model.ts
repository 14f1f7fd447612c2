import type { ComponentSummary, MeshLists, RouteRow } from './api-types.js';

/** A Service (or a dependency that names a missing one). */
export interface GraphNode {
  /** `namespace/name`. */
  id: string;
  namespace: string;
  name: string;
  /** Whether the Service exists (a dependency may name one that does not). */
  exists: boolean;
  vip: string;
  /** The component ConfigMap's plugins; empty for a plain Service. */
  plugins: ComponentSummary['plugins'];
  /** Whether a component ConfigMap exists for it. */
  component: boolean;
  readyEndpoints: number;
  totalEndpoints: number;
}

export type EdgeHealth = 'ok' | 'no-endpoints' | 'broken';

/** A declared dependency: every port of it that the routes table lists. */
export interface GraphEdge {
  /** `from->to`. */
  id: string;
  from: string;
  to: string;
  ports: { port: number; protocol: string; problem?: string }[];
  /** `broken`: a port has no route (missing Service, no such port); `no-endpoints`: a port has nothing to send to. */
  health: EdgeHealth;
}

export interface MeshGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function edgeId(from: string, to: string): string {
  return `${from}->${to}`;
}

function splitId(id: string): { namespace: string; name: string } {
  const slash = id.indexOf('/');
  return slash < 0 ? { namespace: '', name: id } : { namespace: id.slice(0, slash), name: id.slice(slash + 1) };
}

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function rowHealth(row: RouteRow): EdgeHealth {
  if (row.problem !== undefined) return 'broken';
  return row.endpoints.some((e) => e.used) ? 'ok' : 'no-endpoints';
}

const HEALTH_ORDER: readonly EdgeHealth[] = ['ok', 'no-endpoints', 'broken'];

/** Nodes are Services, edges the routes table grouped by component and dependency; sorted, so equal input draws equally. */
export function buildGraph(lists: Pick<MeshLists, 'routes' | 'services' | 'components'>): MeshGraph {
  const nodes = new Map<string, GraphNode>();
  for (const s of lists.services) {
    const id = `${s.namespace}/${s.name}`;
    nodes.set(id, {
      id,
      namespace: s.namespace,
      name: s.name,
      exists: true,
      vip: s.vip,
      plugins: [],
      component: s.component,
      readyEndpoints: s.endpoints.filter((e) => e.state === 'ready').length,
      totalEndpoints: s.endpoints.length,
    });
  }
  const ensure = (id: string): GraphNode => {
    let node = nodes.get(id);
    if (node === undefined) {
      node = { id, ...splitId(id), exists: false, vip: '', plugins: [], component: false, readyEndpoints: 0, totalEndpoints: 0 };
      nodes.set(id, node);
    }
    return node;
  };
  for (const c of lists.components) {
    const node = ensure(`${c.namespace}/${c.name}`);
    node.component = true;
    node.plugins = c.plugins;
  }
  const edges = new Map<string, GraphEdge>();
  for (const row of lists.routes) {
    ensure(row.component);
    ensure(row.dependency);
    const id = edgeId(row.component, row.dependency);
    let edge = edges.get(id);
    if (edge === undefined) {
      edge = { id, from: row.component, to: row.dependency, ports: [], health: 'ok' };
      edges.set(id, edge);
    }
    edge.ports.push({ port: row.port, protocol: row.protocol, ...(row.problem !== undefined ? { problem: row.problem } : {}) });
    const health = rowHealth(row);
    if (HEALTH_ORDER.indexOf(health) > HEALTH_ORDER.indexOf(edge.health)) edge.health = health;
  }
  for (const edge of edges.values()) edge.ports.sort((a, b) => a.port - b.port);
  return { nodes: [...nodes.values()].sort(byId), edges: [...edges.values()].sort(byId) };
}

/** Short label of an edge's ports, e.g. `8080/http, 9090/grpc`. */
export function portsLabel(edge: GraphEdge): string {
  return edge.ports.map((p) => (p.protocol === '' ? (p.port === 0 ? '?' : String(p.port)) : `${p.port}/${p.protocol}`)).join(', ');
}
