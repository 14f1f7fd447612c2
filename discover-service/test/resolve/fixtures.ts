import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { ConfigMap, EndpointConditions, EndpointSlice, KubeObject, Service, ServicePort } from '@meshplug/plugin-api';
import { parseManifest } from '../../src/sources/manifest-file.js';
import type { ObjectKind } from '../../src/sources/source.js';
import { Store } from '../../src/store/store.js';

export const SHOP_PATH = new URL('../../../manifests/examples/shop.yaml', import.meta.url).pathname;

/** The shop example's objects, in file order. */
export function shopObjects(): { kind: ObjectKind; object: KubeObject }[] {
  const parsed = parseManifest(readFileSync(SHOP_PATH, 'utf8'));
  if (!parsed.ok) throw new Error(`shop.yaml: ${parsed.problem.message}`);
  return [...parsed.objects].flatMap(([kind, list]) => list.map((object) => ({ kind, object })));
}

/** A store holding `objects`, flushed. */
export function storeWith(objects: { kind: ObjectKind; object: KubeObject }[]): Store {
  const store = new Store();
  for (const { kind, object } of objects) store.upsert(kind, object);
  store.flush();
  return store;
}

export function service(ns: string, name: string, ports: ServicePort[], uid = `uid-${ns}-${name}`): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name, uid }, spec: { ports } };
}

export interface EndpointInput {
  ip: string;
  conditions?: EndpointConditions;
  zone?: string;
  pod?: string;
}

export function slice(
  ns: string,
  name: string,
  svc: string,
  endpoints: EndpointInput[],
  ports: { name?: string; port?: number }[] = [{ name: 'http', port: 8080 }],
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: ns, name, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    ports,
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      ...(e.conditions ? { conditions: e.conditions } : {}),
      ...(e.zone ? { zone: e.zone } : {}),
      ...(e.pod ? { targetRef: { kind: 'Pod', name: e.pod, namespace: ns } } : {}),
    })),
  };
}

export function pluginConfigMap(
  plugin: Record<string, unknown>,
  meta: { namespace?: string; name?: string; creationTimestamp?: string } = {},
): ConfigMap {
  const name = String(plugin['name']);
  const version = String(plugin['version']);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      namespace: meta.namespace ?? 'meshplug-system',
      name: meta.name ?? `plugin-${name}-${version}`,
      labels: { 'mesh.io/plugin': name, 'mesh.io/plugin-version': version },
      ...(meta.creationTimestamp ? { creationTimestamp: meta.creationTimestamp } : {}),
    },
    immutable: true,
    data: { 'plugin.yaml': stringify(plugin) },
  };
}

export function componentConfigMap(ns: string, svc: string, spec: Record<string, unknown>, name = `component-${svc}`): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { namespace: ns, name, labels: { 'mesh.io/component': svc } },
    data: { 'component.yaml': stringify(spec) },
  };
}

export function plainConfigMap(ns: string, name: string, data: Record<string, string>): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name }, data };
}

/** A plugin exercising every metaType, protocol limits and a non-editable item. */
export const TEST_PLUGIN = {
  name: 'tester',
  version: '2.0.0',
  type: 'net-inout',
  image: 'example/tester:2',
  configGroups: [
    {
      name: 'in',
      metaType: 'component-port',
      injection: 'discover',
      items: [
        { name: 'OPEN_LIMIT', type: 'radio', options: ['YES', 'NO'], default: 'NO', protocols: ['http'] },
        { name: 'MaxConnections', type: 'string', default: '1024' },
      ],
    },
    {
      name: 'out',
      metaType: 'downstream-port',
      injection: 'discover',
      items: [
        { name: 'LBPolicy', type: 'radio', options: ['round_robin', 'least_request', 'peak_ewma', 'random'], default: 'round_robin' },
        { name: 'Weight', type: 'string', default: '100' },
        { name: 'Domains', type: 'string', default: '', protocols: ['http'] },
      ],
    },
    {
      name: 'general',
      metaType: 'none',
      injection: 'env',
      items: [
        { name: 'LOG_LEVEL', type: 'radio', options: ['debug', 'info', 'warn', 'error'], default: 'info' },
        { name: 'REGION', type: 'string', default: 'eu' },
        { name: 'FIXED', type: 'string', default: 'locked', editable: false },
      ],
    },
  ],
};

/** Lets queued store flushes run. */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
