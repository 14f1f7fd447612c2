import { OpsApi } from './api-client.js';
import type { MeshLists, ProxyStatus, RouteTraffic } from './api-types.js';
import { renderDetail } from './detail-view.js';
import { h, mount } from './dom.js';
import { renderErrors } from './errors-view.js';
import { buildGraph, type MeshGraph } from './graph-model.js';
import { renderGraph } from './graph-view.js';
import { renderProxies } from './proxies-view.js';
import { formatSelection, parseSelection, type Selection } from './selection.js';
import { StateWatcher, type LinkStatus } from './state-watcher.js';

interface PageState {
  lists: MeshLists | undefined;
  graph: MeshGraph;
  proxies: ProxyStatus[];
  traffic: RouteTraffic[];
  selection: Selection;
  link: LinkStatus | undefined;
}

/** A panel of index.html; one the page lacks is added at the end, so a stale page still shows everything. */
function element(id: string): HTMLElement {
  return document.getElementById(id) ?? document.body.appendChild(h('section', { id, class: 'panel' }));
}

const view = {
  status: element('status'),
  summary: element('summary'),
  graph: element('graph'),
  detail: element('detail'),
  proxies: element('proxies'),
  errors: element('errors'),
};

const page: PageState = { lists: undefined, graph: { nodes: [], edges: [] }, proxies: [], traffic: [], selection: parseSelection(location.hash), link: undefined };

function select(selection: Selection): void {
  const hash = formatSelection(selection);
  // pushState: the back button steps through selections; it fires no hashchange, so render here.
  history.pushState(null, '', hash === '' ? location.pathname + location.search : hash);
  page.selection = selection;
  render();
}

function renderStatus(): void {
  const link = page.link;
  view.status.dataset['state'] = link?.state ?? 'loading';
  if (link === undefined) mount(view.status, 'connecting…');
  else if (link.state === 'live') mount(view.status, h('span', { class: 'dot' }), 'live');
  else mount(view.status, h('span', { class: 'dot' }), `reconnecting in ${Math.ceil(link.retryInMs / 1000)} s — ${link.error}`);
}

function renderSummary(lists: MeshLists): void {
  const stale = page.proxies.filter((p) => p.stale).length;
  const fact = (label: string, value: number, bad = false): HTMLElement =>
    h('span', { class: `fact${bad ? ' bad' : ''}` }, h('strong', null, String(value)), ` ${label}`);
  mount(
    view.summary,
    lists.ready ? null : h('span', { class: 'fact bad' }, 'sources still loading'),
    fact('services', lists.services.length),
    fact('components', lists.components.length),
    fact('dependencies', page.graph.edges.length),
    fact('plugins', lists.plugins.length),
    fact('sidecars', page.proxies.length),
    fact('stale', stale, stale > 0),
    fact('errors', lists.errors.length, lists.errors.length > 0),
  );
}

function render(): void {
  renderStatus();
  const lists = page.lists;
  if (lists === undefined) return;
  renderSummary(lists);
  renderGraph(view.graph, { graph: page.graph, selection: page.selection, onSelect: select });
  renderDetail(view.detail, { selection: page.selection, lists, graph: page.graph, proxies: page.proxies, traffic: page.traffic, onSelect: select });
  renderProxies(view.proxies, page.proxies, select);
  renderErrors(view.errors, lists.errors);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

window.addEventListener('popstate', () => {
  page.selection = parseSelection(location.hash);
  render();
});

const watcher = new StateWatcher({
  api: new OpsApi((url, init) => fetch(url, init)),
  sleep,
  onMesh(lists) {
    page.lists = lists;
    page.graph = buildGraph(lists);
    render();
  },
  onProxies(rows, traffic) {
    page.proxies = rows;
    page.traffic = traffic;
    render();
  },
  onStatus(link) {
    page.link = link;
    if (link.state === 'live') document.body.dataset['stateVersion'] = link.version;
    renderStatus();
  },
});
window.addEventListener('pagehide', () => void watcher.stop());
void watcher.start();
