import type { EndpointSlice, LegacyEndpoints, ServicePort } from '@meshplug/plugin-api';
import type { EndpointState, RouteEndpoint } from '../state/mesh-view.js';

/** An endpoint of one Service port, with its conditions as Kubernetes consumers read them. */
export interface CandidateEndpoint {
  address: string;
  port: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  state: EndpointState;
  zone?: string;
  nodeName?: string;
  /** `namespace/pod`. */
  target?: string;
}

const RANK: Readonly<Record<EndpointState, number>> = { ready: 0, terminating: 1, 'not-ready': 2 };

function stateOf(ready: boolean, serving: boolean, terminating: boolean): EndpointState {
  if (ready) return 'ready';
  return serving && terminating ? 'terminating' : 'not-ready';
}

/** Slice ports and Service ports match by name; an unnamed port is `''` on both sides. */
function samePortName(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '') === (b ?? '');
}

function dedupe(all: CandidateEndpoint[]): CandidateEndpoint[] {
  const byAddress = new Map<string, CandidateEndpoint>();
  for (const e of all) {
    const key = `${e.address}|${e.port}`;
    const seen = byAddress.get(key);
    // An address in two slices (e.g. during a slice split) counts once, at its best state.
    if (seen === undefined || RANK[e.state] < RANK[seen.state]) byAddress.set(key, e);
  }
  return [...byAddress.values()].sort((a, b) =>
    a.address === b.address ? a.port - b.port : a.address < b.address ? -1 : 1,
  );
}

/**
 * Every endpoint of `port` in `slices`, deduplicated and sorted. `ready`
 * null/absent counts as ready (kube-proxy does the same), `serving` defaults
 * to `ready`, `terminating` to false. Only the first address of an endpoint is
 * used, as the API allows.
 */
export function sliceEndpoints(slices: readonly EndpointSlice[], port: ServicePort): CandidateEndpoint[] {
  const out: CandidateEndpoint[] = [];
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
    const slicePort = (slice.ports ?? []).find((p) => samePortName(p.name, port.name));
    if (slicePort?.port === undefined) continue;
    for (const ep of slice.endpoints ?? []) {
      const address = ep.addresses[0];
      if (address === undefined) continue;
      const c = ep.conditions ?? {};
      const ready = c.ready !== false;
      const serving = c.serving ?? ready;
      const terminating = c.terminating ?? false;
      const ns = ep.targetRef?.namespace ?? slice.metadata.namespace;
      out.push({
        address,
        port: slicePort.port,
        ready,
        serving: serving === true,
        terminating: terminating === true,
        state: stateOf(ready, serving === true, terminating === true),
        ...(ep.zone !== undefined ? { zone: ep.zone } : {}),
        ...(ep.nodeName !== undefined ? { nodeName: ep.nodeName } : {}),
        ...(ep.targetRef?.name !== undefined ? { target: `${ns ?? ''}/${ep.targetRef.name}` } : {}),
      });
    }
  }
  return dedupe(out);
}

/** The same from a legacy Endpoints object: `addresses` are ready, `notReadyAddresses` are not. */
export function legacyEndpoints(endpoints: LegacyEndpoints, port: ServicePort): CandidateEndpoint[] {
  const out: CandidateEndpoint[] = [];
  for (const subset of endpoints.subsets ?? []) {
    const p = (subset.ports ?? []).find((sp) => samePortName(sp.name, port.name));
    if (p === undefined) continue;
    const add = (list: typeof subset.addresses, ready: boolean): void => {
      for (const a of list ?? []) {
        const ns = a.targetRef?.namespace ?? endpoints.metadata.namespace;
        out.push({
          address: a.ip,
          port: p.port,
          ready,
          serving: ready,
          terminating: false,
          state: stateOf(ready, ready, false),
          ...(a.nodeName !== undefined ? { nodeName: a.nodeName } : {}),
          ...(a.targetRef?.name !== undefined ? { target: `${ns ?? ''}/${a.targetRef.name}` } : {}),
        });
      }
    };
    add(subset.addresses, true);
    add(subset.notReadyAddresses, false);
  }
  return dedupe(out);
}

/** Endpoints that may take traffic: the ready ones, else serving+terminating ones when no ready one is left. */
export function usableEndpoints(all: readonly CandidateEndpoint[]): CandidateEndpoint[] {
  const ready = all.filter((e) => e.state === 'ready');
  return ready.length > 0 ? ready : all.filter((e) => e.state === 'terminating');
}

/** Every endpoint as the routes table shows it, marked with whether the sidecar would use it now. */
export function routeEndpoints(all: readonly CandidateEndpoint[]): RouteEndpoint[] {
  const used = new Set(usableEndpoints(all));
  return all.map((e) => ({
    address: e.address,
    port: e.port,
    state: e.state,
    used: used.has(e),
    ...(e.zone !== undefined ? { zone: e.zone } : {}),
    ...(e.target !== undefined ? { target: e.target } : {}),
    conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
  }));
}
