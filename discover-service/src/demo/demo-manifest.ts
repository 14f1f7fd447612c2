import { assignOuterPorts, LABEL_SERVICE_NAME, type EndpointSlice, type PortRange } from '@meshplug/plugin-api';
import { parseAllDocuments, type Document } from 'yaml';
import { DiscoverErrors } from '../errors.js';

/** One pod the demo runs: its app on `address:<app port>`, its sidecar on `address:<outer port>`. */
export interface DemoPod {
  name: string;
  /** The component (Service name) it belongs to. */
  service: string;
  address: string;
  /** App port -> outer port of the meshed pod. */
  ports: Map<number, number>;
}

export interface DemoManifest {
  /** The manifest to serve: the input with the meshed pods' slices carrying outer ports. */
  yaml: string;
  /** Pods of the meshed Services, in Service then slice order. */
  pods: DemoPod[];
}

/** Which Services of the manifest the demo runs as meshed pods. */
export interface DemoTopology {
  namespace: string;
  /** The calling component (`web`): one pod, which the demo's requests come from. */
  client: string;
  /** The called Service (`tomcat`): every endpoint becomes a backend pod. */
  backend: string;
}

/**
 * Rewrites the EndpointSlices of the meshed Services as the cluster would
 * publish them for injected pods: each port becomes the pod's outer port (the
 * sidecar's named port), the ports the mesh-proxies will then listen on.
 * Returns the rewritten manifest (comments kept) and the pods to start.
 */
export function prepareDemoManifest(text: string, topology: DemoTopology, range?: PortRange): DemoManifest {
  const docs = parseAllDocuments(text);
  const bad = (why: string): never => {
    throw new DiscoverErrors.DISC_ERR_DEMO_INVALID_OPTIONS(why);
  };
  for (const doc of docs) if (doc.errors.length > 0) bad(`manifest: ${doc.errors[0]?.message ?? 'YAML error'}`);
  const pods: DemoPod[] = [];
  for (const service of new Set([topology.client, topology.backend])) {
    const slices = docs.filter((d) => isSliceOf(d, topology.namespace, service));
    const before = pods.length;
    for (const doc of slices) pods.push(...meshSlice(doc, service, range));
    if (pods.length === before) bad(`manifest has no endpoints of ${topology.namespace}/${service}`);
  }
  if (pods.filter((p) => p.service === topology.client).length !== 1) {
    bad(`${topology.namespace}/${topology.client} must have exactly one endpoint (the client pod)`);
  }
  const header = `Written by 'meshplug demo': the EndpointSlices of ${topology.client} and ${topology.backend} carry the pods' outer ports.`;
  return { yaml: `# ${header}\n${docs.map((d) => d.toString()).join('')}`, pods };
}

function isSliceOf(doc: Document, namespace: string, service: string): boolean {
  const o = doc.toJS() as Partial<EndpointSlice> | null;
  return (
    o?.kind === 'EndpointSlice' &&
    (o.metadata?.namespace ?? 'default') === namespace &&
    o.metadata?.labels?.[LABEL_SERVICE_NAME] === service
  );
}

function meshSlice(doc: Document, service: string, range: PortRange | undefined): DemoPod[] {
  const slice = doc.toJS() as EndpointSlice;
  const appPorts = (slice.ports ?? []).map((p) => p.port).filter((p): p is number => p !== undefined);
  const outer = assignOuterPorts(appPorts, range);
  (slice.ports ?? []).forEach((p, i) => {
    if (p.port !== undefined) doc.setIn(['ports', i, 'port'], outer.get(p.port));
  });
  return (slice.endpoints ?? []).flatMap((e, i) => {
    const address = e.addresses[0];
    if (address === undefined) return [];
    return [{ name: e.targetRef?.name ?? `${service}-${i}`, service, address, ports: outer }];
  });
}
