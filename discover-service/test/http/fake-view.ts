import { createHash } from 'node:crypto';
import type { MeshDocument, ResourceSpec } from '@meshplug/plugin-api';
import type {
  ComponentSummary,
  ConfigError,
  Lookup,
  MeshView,
  PluginSummary,
  RouteRow,
  ServiceSummary,
} from '../../src/state/mesh-view.js';

function versionOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16);
}

/**
 * A small in-memory MeshView: content is set directly, versions are content
 * hashes, every setter notifies listeners as one change batch, and lookups
 * are counted per key so tests can see which keys a change re-checked.
 */
export class FakeView implements MeshView {
  readonly #meshes = new Map<string, Lookup<MeshDocument> & { ok: true }>();
  readonly #resources = new Map<string, Lookup<ResourceSpec> & { ok: true }>();
  readonly #listeners = new Set<() => void>();
  /** Lookups per key (`mesh:ns/svc`, `resources:ns/svc/plugin`). */
  readonly lookups = new Map<string, number>();
  routeRows: RouteRow[] = [];
  serviceRows: ServiceSummary[] = [];
  pluginRows: PluginSummary[] = [];
  componentRows: ComponentSummary[] = [];
  errorRows: ConfigError[] = [];
  ready = true;

  setMesh(namespace: string, service: string, content: Omit<MeshDocument, 'version' | 'namespace' | 'service'>): string {
    const body = { namespace, service, ...content };
    const version = versionOf(body);
    this.#meshes.set(`${namespace}/${service}`, { ok: true, value: { version, ...body }, version });
    this.#notify();
    return version;
  }

  deleteMesh(namespace: string, service: string): void {
    this.#meshes.delete(`${namespace}/${service}`);
    this.#notify();
  }

  setResources(namespace: string, service: string, plugin: string, spec: ResourceSpec): string {
    const version = versionOf(spec);
    this.#resources.set(`${namespace}/${service}/${plugin}`, { ok: true, value: spec, version });
    this.#notify();
    return version;
  }

  /** A change batch that touched nothing this view serves (e.g. an unrelated Service). */
  touch(): void {
    this.#notify();
  }

  resources(namespace: string, service: string, plugin: string): Lookup<ResourceSpec> {
    const key = `${namespace}/${service}/${plugin}`;
    this.#count(`resources:${key}`);
    return this.#resources.get(key) ?? { ok: false, code: 'DISC_ERR_NOT_FOUND', reason: `no plugin ${plugin} on ${namespace}/${service}` };
  }

  mesh(namespace: string, service: string): Lookup<MeshDocument> {
    const key = `${namespace}/${service}`;
    this.#count(`mesh:${key}`);
    return this.#meshes.get(key) ?? { ok: false, code: 'DISC_ERR_NOT_FOUND', reason: `no Service ${service} in namespace ${namespace}` };
  }

  routes(filter?: { namespace?: string; service?: string }): RouteRow[] {
    return this.routeRows.filter((row) => {
      const [ns, svc] = row.component.split('/');
      return (filter?.namespace === undefined || filter.namespace === ns) && (filter?.service === undefined || filter.service === svc);
    });
  }

  services(): ServiceSummary[] {
    return this.serviceRows;
  }

  service(namespace: string, name: string): ServiceSummary | undefined {
    return this.serviceRows.find((s) => s.namespace === namespace && s.name === name);
  }

  plugins(): PluginSummary[] {
    return this.pluginRows;
  }

  components(): ComponentSummary[] {
    return this.componentRows;
  }

  errors(): ConfigError[] {
    return this.errorRows;
  }

  isReady(): boolean {
    return this.ready;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  #count(key: string): void {
    this.lookups.set(key, (this.lookups.get(key) ?? 0) + 1);
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** A minimal MeshDocument body with one outbound cluster of `endpoints` addresses. */
export function meshContent(endpoints: string[]): Omit<MeshDocument, 'version' | 'namespace' | 'service'> {
  return {
    inbound: [{ name: 'http', port: 8080, outerPort: 65301, protocol: 'http', mode: 'http', options: {} }],
    outbound: [
      {
        name: 'shop/tomcat:8080',
        namespace: 'shop',
        service: 'tomcat',
        vip: '127.10.0.1',
        port: 8080,
        portName: 'http',
        protocol: 'http',
        mode: 'http',
        policy: 'round_robin',
        options: { Weight: '100' },
        endpoints: endpoints.map((address) => ({ address, port: 8080, ready: true, serving: true, terminating: false, weight: 100 })),
      },
    ],
    dns: {
      records: [{ names: ['tomcat', 'tomcat.shop'], service: 'shop/tomcat', address: '127.10.0.1', ports: [{ name: 'http', port: 8080, protocol: 'http' }] }],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      upstream: [],
      clusterDomain: 'cluster.local',
      ttl: 5,
    },
  };
}
