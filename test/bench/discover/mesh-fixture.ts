import { renameSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** The size of issue 2's benchmark. */
export interface FixtureShape {
  namespaces: number;
  servicesPerNamespace: number;
  endpointsPerService: number;
  /** Components (each watched by one watcher), spread evenly over the namespaces. */
  components: number;
}

export const ISSUE_2_SHAPE: FixtureShape = { namespaces: 10, servicesPerNamespace: 1000, endpointsPerService: 5, components: 1000 };

/** The Service every component depends on: changing its EndpointSlice changes every watched document. */
export const SHARED = { namespace: 'bench-0', name: 'svc-0-0' };

const PLUGIN_YAML = `name: net-governance
version: "1.0.0"
type: net-inout
image: meshplug/mesh-proxy:1.0.0
memory: 64Mi
configGroups:
  - name: outbound
    metaType: downstream-port
    injection: discover
    items:
      - { name: LBPolicy, type: radio, options: [round_robin, least_request, peak_ewma, random], default: round_robin }
      - { name: Weight, type: string, default: "100" }
`;

/** The first endpoint address of the shared slice at `generation`. */
export function sharedAddress(generation: number): string {
  return address(100_000 + generation * 10);
}

/** Endpoint addresses come from the benchmark range 198.18.0.0/15; nothing connects to them. */
function address(index: number): string {
  return `198.${18 + (index >> 16)}.${(index >> 8) & 0xff}.${index & 0xff}`;
}

function service(ns: string, name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, uid: `uid-${ns}-${name}` },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }] },
  };
}

function slice(ns: string, name: string, firstAddress: number, count: number, generation: number): object {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${name}-abcde`, namespace: ns, labels: { 'kubernetes.io/service-name': name }, generation },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: Array.from({ length: count }, (_, i) => ({
      addresses: [address(firstAddress + i)],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', name: `${name}-${i}`, namespace: ns },
    })),
  };
}

function component(ns: string, name: string, dependencies: string[]): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `component-${name}`, namespace: ns, labels: { 'mesh.io/component': name } },
    data: {
      'component.yaml': stringify({ dependencies, plugins: [{ name: 'net-governance', version: '1.0.0', enabled: true }] }),
    },
  };
}

/** A generated mesh: the documents of the file source, and the components the watchers follow. */
export interface Fixture {
  /** `namespace/service` of every component. */
  components: string[];
  services: number;
  endpoints: number;
  /** The whole file, with the shared slice at `generation`. */
  text(generation: number): string;
  /** Writes the whole file atomically (temp + rename), with the shared slice at `generation`. */
  write(path: string, generation: number): { bytes: number };
}

/**
 * 10,000 Services with one EndpointSlice of 5 endpoints each (50,000 endpoints), and 1,000 components
 * each depending on the shared Service plus two of its own namespace, so all 1,000 documents differ
 * yet all depend on one slice. Generation `g` of the shared slice moves its endpoints by `g`.
 */
export function buildFixture(shape: FixtureShape = ISSUE_2_SHAPE): Fixture {
  const head: string[] = [
    stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'plugin-net-governance-1.0.0',
        namespace: 'meshplug-system',
        labels: { 'mesh.io/plugin': 'net-governance', 'mesh.io/plugin-version': '1.0.0' },
      },
      immutable: true,
      data: { 'plugin.yaml': PLUGIN_YAML },
    }),
  ];
  const rest: string[] = [];
  const components: string[] = [];
  const perNamespace = Math.ceil(shape.components / shape.namespaces);
  let endpoints = 0;
  for (let n = 0; n < shape.namespaces; n++) {
    const ns = `bench-${n}`;
    for (let s = 0; s < shape.servicesPerNamespace; s++) {
      const name = `svc-${n}-${s}`;
      rest.push(stringify(service(ns, name)));
      const isShared = ns === SHARED.namespace && name === SHARED.name;
      if (!isShared) rest.push(stringify(slice(ns, name, endpoints, shape.endpointsPerService, 1)));
      endpoints += shape.endpointsPerService;
      if (s < perNamespace && components.length < shape.components) {
        const own = [`svc-${n}-${(s + perNamespace) % shape.servicesPerNamespace}`, `svc-${n}-${(s + 2 * perNamespace) % shape.servicesPerNamespace}`];
        rest.push(stringify(component(ns, name, [`${SHARED.name}.${SHARED.namespace}`, ...own])));
        components.push(`${ns}/${name}`);
      }
    }
  }
  const fixed = `${[...head, ...rest].join('---\n')}---\n`;
  return {
    components,
    services: shape.namespaces * shape.servicesPerNamespace,
    endpoints,
    text(generation) {
      // The shared slice's addresses move with the generation, so the documents really change.
      return `${fixed}${stringify(slice(SHARED.namespace, SHARED.name, 100_000 + generation * 10, shape.endpointsPerService, generation))}`;
    },
    write(path, generation) {
      const text = this.text(generation);
      writeFileSync(`${path}.tmp`, text);
      renameSync(`${path}.tmp`, path);
      return { bytes: Buffer.byteLength(text) };
    },
  };
}
