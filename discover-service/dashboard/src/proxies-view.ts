import type { ProxyStatus } from './api-types.js';
import { h, mount, shortTime } from './dom.js';
import type { Selection } from './selection.js';

/** Versions are long hashes; ten characters tell them apart at a glance (the full one is the tooltip). */
const VERSION_CHARS = 10;

function shortVersion(version: string | null): HTMLElement {
  if (version === null) return h('span', { class: 'muted' }, 'none');
  return h('code', { title: version }, version.length > VERSION_CHARS ? `${version.slice(0, VERSION_CHARS)}…` : version);
}

/** Stale first (they need attention), then by component and id. */
function ordered(rows: readonly ProxyStatus[]): ProxyStatus[] {
  const key = (p: ProxyStatus): string => `${p.stale ? 0 : 1}\u0000${p.namespace}/${p.service}\u0000${p.kind}\u0000${p.id}`;
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The connected sidecars, like `istioctl proxy-status`: served vs applied config version, stale ones flagged. */
export function renderProxies(container: Element, rows: readonly ProxyStatus[], onSelect: (selection: Selection) => void): void {
  const stale = rows.filter((p) => p.stale).length;
  const heading = h('h2', null, 'Sidecars ', h('span', { class: 'count' }, String(rows.length)), stale > 0 ? h('span', { class: 'badge bad' }, `${stale} stale`) : null);
  if (rows.length === 0) {
    mount(container, heading, h('p', { class: 'muted' }, 'No sidecar has polled this discover-service yet.'));
    return;
  }
  mount(
    container,
    heading,
    h(
      'table',
      { class: 'proxies' },
      h('thead', null, h('tr', null, ...['Sidecar', 'Kind', 'Component', 'Served', 'Applied', 'Status', 'Last seen', 'Last report'].map((t) => h('th', null, t)))),
      h(
        'tbody',
        null,
        ...ordered(rows).map((p) => {
          const component = `${p.namespace}/${p.service}`;
          const status = p.stale
            ? h('span', { class: 'badge bad' }, p.appliedVersion === null ? 'STALE: nothing applied' : 'STALE')
            : h('span', { class: 'badge ok' }, 'in sync');
          return h(
            'tr',
            { class: `${p.stale ? 'stale' : ''}${p.connected ? '' : ' disconnected'}`.trim(), 'data-proxy': p.id },
            h('td', null, h('code', null, p.id)),
            h('td', null, p.kind),
            h('td', null, h('button', { class: 'link', type: 'button', onclick: () => onSelect({ kind: 'node', id: component }) }, component)),
            h('td', null, shortVersion(p.servedVersion)),
            h('td', null, shortVersion(p.appliedVersion)),
            h('td', null, status, p.connected ? null : h('span', { class: 'badge muted' }, 'disconnected')),
            h('td', { title: p.lastSeen }, shortTime(p.lastSeen)),
            h('td', null, p.lastReport === undefined ? h('span', { class: 'muted', title: 'no current traffic report' }, '—') : h('span', { title: p.lastReport }, shortTime(p.lastReport))),
          );
        }),
      ),
    ),
  );
}
