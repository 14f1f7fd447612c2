import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parsePluginConfigMap,
  type ConfigMap,
  type EndpointSlice,
  type InjectPlugin,
  type KubeObject,
  type PluginVersion,
  type Service,
} from '@meshplug/plugin-api';
import { REPO_ROOT } from '../../../discover-service/src/demo/process/meshplug-command.js';
import { parseAllDocuments, stringify } from 'yaml';

export const NAMESPACE = 'shop';

/** The Services of the test: name, port name (its protocol), port. */
export const SERVICES = {
  web: { port: 8080, portName: 'http' },
  tomcat: { port: 8080, portName: 'http' },
  echo: { port: 7000, portName: 'tcp-echo' },
} as const;

export type ServiceName = keyof typeof SERVICES;

/** A meshed pod as its EndpointSlice lists it: the outer port, as the injector assigned it. */
export interface SlicePod {
  name: string;
  service: ServiceName;
  address: string;
  outerPort: number;
}

/** The built-in plugin, as `manifests/` installs it. */
export function builtinPluginConfigMap(): ConfigMap {
  const text = readFileSync(join(REPO_ROOT, 'manifests', 'base', 'plugin-net-governance.yaml'), 'utf8');
  const cm = parseAllDocuments(text)[0]?.toJS() as ConfigMap;
  return { ...cm, metadata: { ...cm.metadata, namespace: 'meshplug-system' } };
}

/** The plugin as the injector takes it: enabled, its env items at their defaults. */
export function governancePlugin(): InjectPlugin {
  const parsed = parsePluginConfigMap(builtinPluginConfigMap());
  if (!parsed.ok) throw new Error(`built-in plugin is invalid: ${JSON.stringify(parsed.issues)}`);
  const plugin: PluginVersion = parsed.value;
  const env: Record<string, string> = {};
  for (const group of plugin.configGroups) {
    if (group.injection !== 'env') continue;
    for (const item of group.items) env[item.name] = String(item.default ?? '');
  }
  return { plugin, ref: { name: plugin.name, version: plugin.version, enabled: true }, env };
}

function service(name: ServiceName, uid: number): Service {
  const { port, portName } = SERVICES[name];
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NAMESPACE, uid: `e2e00000-0000-4000-8000-${String(uid).padStart(12, '0')}` },
    spec: { selector: { app: name }, ports: [{ name: portName, port, targetPort: portName, protocol: 'TCP' }] },
  };
}

function slice(name: ServiceName, pods: readonly SlicePod[]): EndpointSlice {
  const mine = pods.filter((p) => p.service === name);
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${name}-e2e`, namespace: NAMESPACE, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    ports: [{ name: SERVICES[name].portName, port: mine[0]?.outerPort ?? SERVICES[name].port, protocol: 'TCP' }],
    endpoints: mine.map((p) => ({
      addresses: [p.address],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', name: p.name, namespace: NAMESPACE },
    })),
  };
}

function component(name: ServiceName, dependencies: string[], services: Record<string, Record<string, string>> = {}): ConfigMap {
  const spec = { dependencies, plugins: [{ name: 'net-governance', version: '1.0.0', enabled: true, values: { services } }] };
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `component-${name}`, namespace: NAMESPACE, labels: { 'mesh.io/component': name } },
    data: { 'component.yaml': stringify(spec) },
  } as ConfigMap;
}

/**
 * The file source of the test: the built-in plugin, the three Services with
 * slices listing `pods` (outer ports: every pod is meshed), and the components:
 * web depends on tomcat (round robin, so the spread is even) and echo.
 */
export function meshManifest(pods: readonly SlicePod[]): string {
  const objects: KubeObject[] = [builtinPluginConfigMap()];
  (Object.keys(SERVICES) as ServiceName[]).forEach((name, i) => objects.push(service(name, i + 1), slice(name, pods)));
  objects.push(
    component('web', ['tomcat', 'echo'], { 'tomcat:8080': { LBPolicy: 'round_robin' } }),
    component('tomcat', []),
    component('echo', []),
  );
  return objects.map((o) => stringify(o)).join('---\n');
}
