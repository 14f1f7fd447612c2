import { assignOuterPorts } from '@meshplug/plugin-api';
import { stringify } from 'yaml';

/** The plugin every scenario's `web` uses: a net plugin whose outbound items are the traffic options under test. */
export const PLUGIN = Object.freeze({ name: 'net-reliability', version: '1.0.0' });

/** Outbound (downstream-port) items the plugin declares, with their defaults; a component sets them per dependency port. */
const OUTBOUND_ITEMS: Readonly<Record<string, string>> = Object.freeze({
  LBPolicy: 'round_robin',
  Weight: '100',
  ConnectionTimeout: '250',
  RequestTimeoutMS: '0',
  Retries: '2',
  RetryOn: 'connect-failure',
  ConsecutiveErrors: '5',
  BaseEjectionTimeMS: '30000',
  MaxEjectionPercent: '10',
  HealthyPanicThreshold: '50',
  MaxConnections: '10240',
  MaxRequests: '10240',
  MaxPendingRequests: '1024',
  MaxActiveRetries: '3',
});

/** An endpoint as the EndpointSlice publishes it. */
export interface SliceEndpoint {
  /** Pod name (`targetRef.name`). */
  pod: string;
  address: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** One Service of the scenario mesh and its pods. */
export interface ServiceSpec {
  name: string;
  /** Service ports (HTTP); the port name is `http` for the first, `http-<port>` after. */
  ports: readonly number[];
  endpoints: readonly SliceEndpoint[];
  /** Meshed pods: slices carry the sidecar's outer ports (what injection does); else the app ports. */
  meshed: boolean;
}

/** What the scenario mesh holds: `web` (the caller) depends on every other Service. */
export interface ScenarioMesh {
  namespace: string;
  /** Address of the single `web` pod. */
  webAddress: string;
  services: readonly ServiceSpec[];
  /** Per dependency port (`tomcat:8080`), the traffic options of web's outbound cluster. */
  outboundValues: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A ready, serving endpoint. */
export function readyEndpoint(pod: string, address: string): SliceEndpoint {
  return { pod, address, ready: true, serving: true, terminating: false };
}

/** The outer port a meshed pod's sidecar listens on for `appPort` (deterministic, as the injector assigns it). */
export function outerPort(appPort: number): number {
  return assignOuterPorts([appPort]).get(appPort) as number;
}

function portName(ports: readonly number[], port: number): string {
  return port === ports[0] ? 'http' : `http-${port}`;
}

function serviceObjects(namespace: string, s: ServiceSpec): object[] {
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, namespace, uid: `uid-${namespace}-${s.name}` },
    spec: {
      selector: { app: s.name },
      ports: s.ports.map((p) => ({ name: portName(s.ports, p), port: p, targetPort: portName(s.ports, p), protocol: 'TCP' })),
    },
  };
  const slice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${s.name}-1`, namespace, labels: { 'kubernetes.io/service-name': s.name } },
    addressType: 'IPv4',
    ports: s.ports.map((p) => ({ name: portName(s.ports, p), port: s.meshed ? outerPort(p) : p, protocol: 'TCP' })),
    endpoints: s.endpoints.map((e) => ({
      addresses: [e.address],
      conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
      targetRef: { kind: 'Pod', name: e.pod, namespace },
    })),
  };
  return [service, slice];
}

/** Every object of the scenario mesh, as Kubernetes would hold them (for the file source or the fake API server). */
export function scenarioObjects(mesh: ScenarioMesh): object[] {
  const { namespace } = mesh;
  const plugin = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `plugin-${PLUGIN.name}-${PLUGIN.version}`, namespace, labels: { 'mesh.io/plugin': PLUGIN.name, 'mesh.io/plugin-version': PLUGIN.version } },
    immutable: true,
    data: {
      'plugin.yaml': stringify({
        name: PLUGIN.name,
        version: PLUGIN.version,
        type: 'net-inout',
        image: 'meshplug/mesh-proxy:0.1.0',
        configGroups: [
          { name: 'outbound', metaType: 'downstream-port', injection: 'discover', items: Object.entries(OUTBOUND_ITEMS).map(([name, value]) => ({ name, type: 'string', default: value })) },
        ],
      }),
    },
  };
  const web: ServiceSpec = { name: 'web', ports: [8080], endpoints: [readyEndpoint('web-0', mesh.webAddress)], meshed: true };
  const component = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'component-web', namespace, labels: { 'mesh.io/component': 'web' } },
    data: {
      'component.yaml': stringify({
        dependencies: mesh.services.map((s) => s.name),
        plugins: [{ name: PLUGIN.name, version: PLUGIN.version, enabled: true, values: { services: mesh.outboundValues } }],
      }),
    },
  };
  return [plugin, ...serviceObjects(namespace, web), ...mesh.services.flatMap((s) => serviceObjects(namespace, s)), component];
}

/** The scenario mesh as one multi-document YAML (`meshplug serve --source file:...`). */
export function scenarioYaml(mesh: ScenarioMesh): string {
  return scenarioObjects(mesh)
    .map((o) => stringify(o))
    .join('---\n');
}
