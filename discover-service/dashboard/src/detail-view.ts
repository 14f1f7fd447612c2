import type { MeshLists, ProxyStatus, RouteEndpoint, RouteRow, RouteTraffic } from './api-types.js';
import { h, mount, type Child } from './dom.js';
import { edgeId, portsLabel, type MeshGraph } from './graph-model.js';
import type { Selection } from './selection.js';
import { endpointTraffic, formatCount, formatEjected, formatErrors, formatLatency, formatMs, NO_DATA, trafficFor } from './traffic-format.js';

export interface DetailProps {
  selection: Selection;
  lists: MeshLists;
  graph: MeshGraph;
  proxies: readonly ProxyStatus[];
  /** What the sidecars report (`/v1/stats`). */
  traffic: readonly RouteTraffic[];
  onSelect(selection: Selection): void;
}

const TRAFFIC_NOTE =
  "Requests, errors and ejections are totals of the calling component's mesh-proxies since they started, summed over " +
  'the sidecars that report them (every 10 s by default); latency is measured per dependency port, over their last ' +
  'report period. — means no sidecar reported it.';

function yesNo(value: boolean | undefined): Child {
  if (value === undefined) return h('span', { class: 'muted' }, '–');
  return h('span', { class: value ? 'yes' : 'no' }, value ? 'yes' : 'no');
}

function table(headers: readonly string[], rows: readonly Child[][], attrs: Record<string, string> = {}): HTMLTableElement {
  return h(
    'table',
    attrs,
    h('thead', null, h('tr', null, ...headers.map((t) => h('th', null, t)))),
    h('tbody', null, ...rows.map((cells) => h('tr', null, ...cells.map((c) => h('td', null, c))))),
  );
}

function conditions(e: RouteEndpoint): Child {
  if (e.conditions === undefined) return h('span', { class: 'muted' }, '–');
  const flags = e.conditions;
  return h(
    'span',
    { class: 'conditions' },
    ...(['ready', 'serving', 'terminating'] as const).map((name) =>
      h('span', { class: `condition cond-${name} ${flags[name] ? 'on' : 'off'}`, title: `${name}: ${flags[name]}` }, name),
    ),
  );
}

const noData = (title: string): HTMLElement => h('span', { class: 'muted no-data', title }, NO_DATA);

/** Requests, errors and ejection of one endpoint, or dashes where no sidecar reported it. */
function endpointTrafficCells(traffic: RouteTraffic | undefined, e: RouteEndpoint): Child[] {
  const t = endpointTraffic(traffic, e.address, e.port);
  if (t === undefined) return [1, 2, 3].map(() => noData('no sidecar reported this endpoint'));
  return [
    h('span', { class: 'traffic-requests', title: `${t.active} in flight` }, formatCount(t.requests)),
    h('span', { class: `traffic-errors${t.errors > 0 ? ' bad' : ''}` }, formatErrors(t.errors, t.requests)),
    h(
      'span',
      { class: `traffic-ejected${t.ejected ? ' badge bad' : ''}`, title: `ejected ${formatCount(t.ejections)}× so far` },
      formatEjected(t, traffic?.sidecars ?? 0),
    ),
  ];
}

/** The last row: the dependency port as a whole (proxy-made answers included), with its latency. */
function totalRow(traffic: RouteTraffic | undefined, columns: number): HTMLTableRowElement {
  if (traffic === undefined) {
    return h('tr', { class: 'traffic-total' }, h('td', { colspan: columns }, 'Traffic: ', noData('no sidecar of the caller reported this dependency port')));
  }
  const l = traffic.latency;
  return h(
    'tr',
    { class: 'traffic-total' },
    h(
      'td',
      { colspan: columns },
      `All endpoints (${traffic.sidecars} sidecar${traffic.sidecars === 1 ? '' : 's'}): `,
      h('span', { class: 'traffic-requests' }, formatCount(traffic.requests)),
      ' requests, ',
      h('span', { class: `traffic-errors${traffic.errors > 0 ? ' bad' : ''}` }, formatErrors(traffic.errors, traffic.requests)),
      ' errors · latency ',
      h(
        'span',
        { class: 'traffic-latency', title: l === undefined ? 'nothing timed in the last report period' : `${formatCount(l.count)} timed, mean ${formatMs(l.meanMs)}` },
        formatLatency(l),
      ),
    ),
  );
}

/** The endpoints; `traffic` adds the reported numbers (a dependency port's table), `undefined` leaves them out (a Service's). */
function endpointsTable(endpoints: readonly RouteEndpoint[], traffic?: { of: RouteTraffic | undefined }): Child {
  if (endpoints.length === 0) return h('p', { class: 'warn' }, 'No endpoints.');
  const zones = endpoints.some((e) => e.zone !== undefined);
  const headers = ['Endpoint', ...(zones ? ['Zone'] : []), 'State', 'Used', 'Conditions', ...(traffic ? ['Requests', 'Errors', 'Ejected'] : [])];
  const element = table(
    headers,
    endpoints.map((e) => [
      h('span', null, h('code', null, `${e.address}:${e.port}`), e.target === undefined ? null : h('span', { class: 'target muted' }, e.target)),
      ...(zones ? [e.zone ?? h('span', { class: 'muted' }, '–')] : []),
      h('span', { class: `badge state-${e.state}` }, e.state),
      yesNo(e.used),
      conditions(e),
      ...(traffic ? endpointTrafficCells(traffic.of, e) : []),
    ]),
    { class: 'endpoints' },
  );
  if (traffic) element.append(h('tfoot', null, totalRow(traffic.of, headers.length)));
  return element;
}

function optionsTable(options: Record<string, string> | undefined): Child {
  const keys = Object.keys(options ?? {}).sort();
  if (options === undefined || keys.length === 0) return h('p', { class: 'muted' }, 'No options.');
  return table(['Option', 'Value'], keys.map((k) => [h('code', null, k), h('code', null, options[k] ?? '')]), { class: 'options' });
}

function link(label: string, selection: Selection, onSelect: DetailProps['onSelect']): HTMLButtonElement {
  return h('button', { class: 'link', type: 'button', onclick: () => onSelect(selection) }, label);
}

function sidecarsLine(id: string, proxies: readonly ProxyStatus[]): Child {
  const mine = proxies.filter((p) => `${p.namespace}/${p.service}` === id);
  if (mine.length === 0) return h('p', { class: 'muted' }, 'No sidecar of this component has polled discover-service.');
  const stale = mine.filter((p) => p.stale).length;
  return h(
    'p',
    null,
    `${mine.length} sidecar${mine.length === 1 ? '' : 's'}: ${mine.filter((p) => p.connected).length} connected, `,
    h('span', { class: stale > 0 ? 'bad' : 'yes' }, `${stale} stale`),
    '.',
  );
}

function portSection(row: RouteRow, traffic: readonly RouteTraffic[]): HTMLElement {
  const title = row.protocol === '' ? `Port ${row.port === 0 ? '?' : row.port}` : `Port ${row.port} · ${row.protocol}`;
  if (row.problem !== undefined) {
    return h('section', { class: 'port', 'data-port': row.port }, h('h3', null, title), h('p', { class: 'bad' }, `No route: ${row.problem}`));
  }
  return h(
    'section',
    { class: 'port', 'data-port': row.port },
    h('h3', null, title),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'VIP'),
      h('dd', null, h('code', { class: 'vip' }, `${row.vip}:${row.port}`)),
      h('dt', null, 'Policy'),
      h('dd', null, h('code', { class: 'policy' }, row.policy)),
      h('dt', null, 'Endpoints'),
      h('dd', null, `${row.endpoints.filter((e) => e.used).length} of ${row.endpoints.length} take traffic`),
    ),
    h('h4', null, 'Options'),
    optionsTable(row.options),
    h('h4', null, 'Endpoints'),
    endpointsTable(row.endpoints, { of: trafficFor(traffic, row) }),
  );
}

function edgeDetail(from: string, to: string, props: DetailProps): Child[] {
  const rows = props.lists.routes.filter((r) => r.component === from && r.dependency === to).sort((a, b) => a.port - b.port);
  const heading = h(
    'h2',
    null,
    link(from, { kind: 'node', id: from }, props.onSelect),
    ' → ',
    link(to, { kind: 'node', id: to }, props.onSelect),
  );
  if (rows.length === 0) return [heading, h('p', { class: 'muted' }, 'This dependency is no longer declared.')];
  return [heading, sidecarsLine(from, props.proxies), ...rows.map((row) => portSection(row, props.traffic)), h('p', { class: 'note' }, TRAFFIC_NOTE)];
}

function nodeDetail(id: string, props: DetailProps): Child[] {
  const { lists, graph, onSelect } = props;
  const node = graph.nodes.find((n) => n.id === id);
  if (node === undefined) return [h('h2', null, id), h('p', { class: 'muted' }, 'This Service is gone.')];
  const service = lists.services.find((s) => `${s.namespace}/${s.name}` === id);
  const component = lists.components.find((c) => `${c.namespace}/${c.name}` === id);
  const outgoing = graph.edges.filter((e) => e.from === id);
  const incoming = graph.edges.filter((e) => e.to === id);
  const edgeItem = (other: string, from: string, to: string): HTMLLIElement => {
    const edge = graph.edges.find((e) => e.id === edgeId(from, to));
    return h('li', { class: edge ? `health-${edge.health}` : '' }, link(other, { kind: 'edge', from, to }, onSelect), edge ? ` ${portsLabel(edge)}` : '');
  };
  return [
    h('h2', null, id),
    service === undefined
      ? h('p', { class: 'bad' }, 'No such Service: a component depends on it.')
      : h(
          'dl',
          { class: 'facts' },
          h('dt', null, 'VIP'),
          h('dd', null, h('code', { class: 'vip' }, service.vip)),
          h('dt', null, 'Component'),
          h('dd', null, component ? h('code', null, `ConfigMap ${component.namespace}/${component.configMap}`) : 'none (a plain Service)'),
          h('dt', null, 'Ports'),
          h('dd', null, service.ports.map((p) => `${p.port}${p.name ? ` (${p.name})` : ''} → ${p.targetPort}`).join(', ') || '–'),
        ),
    sidecarsLine(id, props.proxies),
    h('h4', null, 'Plugins'),
    component === undefined || component.plugins.length === 0
      ? h('p', { class: 'muted' }, 'No plugins.')
      : table(
          ['Plugin', 'Version', 'Enabled', 'Type', 'Image'],
          component.plugins.map((p) => {
            const published = lists.plugins.find((q) => q.name === p.name && q.version === p.version);
            return [
              h('code', null, p.name),
              p.version,
              yesNo(p.enabled),
              published?.type ?? h('span', { class: 'bad' }, 'not published'),
              published ? h('code', null, published.image) : '–',
            ];
          }),
        ),
    h('h4', null, 'Calls'),
    outgoing.length === 0 ? h('p', { class: 'muted' }, 'No dependencies.') : h('ul', { class: 'links' }, ...outgoing.map((e) => edgeItem(e.to, e.from, e.to))),
    h('h4', null, 'Called by'),
    incoming.length === 0 ? h('p', { class: 'muted' }, 'No component depends on it.') : h('ul', { class: 'links' }, ...incoming.map((e) => edgeItem(e.from, e.from, e.to))),
    h('h4', null, 'Endpoints'),
    endpointsTable(service?.endpoints ?? []),
  ];
}

/** The panel beside the graph: the selected dependency (per port: VIP, policy, options, endpoints) or Service. */
export function renderDetail(container: Element, props: DetailProps): void {
  const { selection } = props;
  switch (selection.kind) {
    case 'edge':
      mount(container, ...edgeDetail(selection.from, selection.to, props));
      return;
    case 'node':
      mount(container, ...nodeDetail(selection.id, props));
      return;
    case 'none':
      mount(container, h('h2', null, 'Details'), h('p', { class: 'muted' }, 'Select a dependency (an arrow) or a Service in the graph.'));
  }
}
