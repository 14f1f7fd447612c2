import {
  MeshplugError,
  allocateVips,
  silentLogger,
  type EndpointSlice,
  type KubeObject,
  type LegacyEndpoints,
  type Logger,
  type MeshDocument,
  type ResourceSpec,
  type Service,
  type ServicePort,
} from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';
import { OBJECT_KINDS, type ObjectKind } from '../sources/source.js';
import type {
  ComponentSummary,
  ConfigError,
  Lookup,
  MeshView,
  PluginSummary,
  RouteRow,
  ServiceSummary,
} from '../state/mesh-view.js';
import type { ChangeBatch, Store } from '../store/store.js';
import { ConfigCatalog } from './config-catalog.js';
import type { ComponentRecord } from './component-record.js';
import { ownPorts } from './component-ports.js';
import { legacyEndpoints, sliceEndpoints, type CandidateEndpoint } from './endpoint-selection.js';
import { ErrorLog, type ErrorIssue } from './error-log.js';
import { serviceSummary } from './service-summary.js';
import { SliceIndex } from './slice-index.js';
import { buildMeshDocument, buildRoutes, type MeshInputs } from './mesh-builder.js';
import { buildResourceSpec } from './resource-builder.js';
import { resolveResolverOptions, type ResolvedResolverOptions, type ResolverOptions } from './resolver-options.js';
import { contentVersion } from './content-version.js';
import { deepFreeze } from './deep-freeze.js';

/** Collaborators injected for tests. */
export interface ResolverDeps {
  /** Clock for `ConfigError.since`. */
  now?: () => Date;
  logger?: Logger;
}

const byKey = <T extends { namespace: string; name: string }>(a: T, b: T): number =>
  a.namespace === b.namespace ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.namespace < b.namespace ? -1 : 1;

/** Misses are cheap to recompute and caching them would let clients grow the cache with made-up names. */
const cacheable = (result: Lookup<unknown>): boolean => result.ok || result.code !== 'DISC_ERR_NOT_FOUND';

/**
 * The MeshView over the store: documents are built on first lookup, cached
 * per key, and dropped only when a change batch concerns them (indexes:
 * Service -> slices, Service -> dependent components, ConfigMap -> valuesFrom
 * users), so lookups stay cheap with many Services and long-poll waiters.
 */
export class Resolver implements MeshView, MeshInputs {
  readonly options: ResolvedResolverOptions;
  private readonly catalog: ConfigCatalog;
  private readonly slices = new SliceIndex();
  private readonly servicesPerNamespace = new Map<string, number>();
  private readonly serviceIssues = new Map<string, ErrorIssue>();
  private vips = new Map<string, string>();
  private readonly meshCache = new Map<string, Lookup<MeshDocument>>();
  private readonly resourceCache = new Map<string, Map<string, Lookup<ResourceSpec>>>();
  private readonly routeCache = new Map<string, RouteRow[]>();
  private readonly summaryCache = new Map<string, ServiceSummary>();
  /** Service -> port name -> its endpoints: a Service many components depend on is read once per change, not once per document. */
  private readonly endpointCache = new Map<string, Map<string, readonly CandidateEndpoint[]>>();
  private serviceList: ServiceSummary[] | undefined;
  private pluginList: PluginSummary[] | undefined;
  private componentList: ComponentSummary[] | undefined;
  private readonly errorLog: ErrorLog;
  private readonly listeners = new Set<() => void>();
  private ready = false;

  constructor(
    private readonly store: Store,
    options: ResolverOptions = {},
    deps: ResolverDeps = {},
  ) {
    this.options = resolveResolverOptions(options);
    this.errorLog = new ErrorLog(deps.now ?? (() => new Date()), (deps.logger ?? silentLogger()).child({ component: 'resolver' }));
    this.catalog = new ConfigCatalog(store);
    store.flush();
    // Whatever the store holds already is indexed as one batch of additions.
    const changes = new Map<ObjectKind, Map<string, KubeObject | undefined>>();
    for (const kind of OBJECT_KINDS) {
      changes.set(kind, new Map([...store.list(kind)].map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, undefined])));
    }
    this.apply({ generation: store.generation, changes, problemsChanged: true });
    store.onChange((batch) => {
      this.apply(batch);
      for (const listener of [...this.listeners]) listener();
    });
  }

  /** Set by the caller once every source has delivered its first full list. */
  setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.ready = ready;
    for (const listener of [...this.listeners]) listener();
  }

  isReady(): boolean {
    return this.ready;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  service(namespace: string, name: string): ServiceSummary | undefined {
    this.store.flush();
    return this.summary(`${namespace}/${name}`);
  }

  serviceObject(key: string): Service | undefined {
    return this.store.getByKey('Service', key) as Service | undefined;
  }

  /** The accepted component of a Service (`ns/name`), for the pod injector. */
  component(serviceKey: string): ComponentRecord | undefined {
    this.store.flush();
    return this.catalog.component(serviceKey);
  }

  /** Services of one namespace, for the pod injector's selector match. */
  servicesIn(namespace: string): Service[] {
    this.store.flush();
    return [...this.store.list('Service')].filter((s) => s.metadata.namespace === namespace) as Service[];
  }

  vip(serviceKey: string): string | undefined {
    return this.vips.get(serviceKey);
  }

  endpoints(serviceKey: string, port: ServicePort): readonly CandidateEndpoint[] {
    let perPort = this.endpointCache.get(serviceKey);
    if (perPort === undefined) this.endpointCache.set(serviceKey, (perPort = new Map()));
    // Slices and legacy Endpoints name their ports as the Service does; nothing else of the port matters.
    const portName = port.name ?? '';
    let list = perPort.get(portName);
    if (list === undefined) {
      const keys = this.slices.slicesOf(serviceKey);
      const legacy = keys.length === 0 && this.options.legacyEndpoints ? this.store.getByKey('Endpoints', serviceKey) : undefined;
      if (keys.length > 0) list = sliceEndpoints(keys.map((k) => this.store.getByKey('EndpointSlice', k) as EndpointSlice), port);
      else list = legacy === undefined ? [] : legacyEndpoints(legacy as LegacyEndpoints, port);
      perPort.set(portName, deepFreeze(list));
    }
    return list;
  }

  mesh(namespace: string, name: string): Lookup<MeshDocument> {
    this.store.flush();
    const key = `${namespace}/${name}`;
    let result = this.meshCache.get(key);
    if (result === undefined) {
      const service = this.serviceObject(key);
      result =
        service === undefined
          ? this.missingService(namespace, name)
          : this.attempt(() => {
              const doc = buildMeshDocument(this, service, this.catalog.component(key));
              return { ok: true, value: doc, version: doc.version };
            });
      if (cacheable(result)) this.meshCache.set(key, deepFreeze(result));
    }
    return result;
  }

  resources(namespace: string, name: string, plugin: string): Lookup<ResourceSpec> {
    this.store.flush();
    const key = `${namespace}/${name}`;
    let perPlugin = this.resourceCache.get(key);
    let result = perPlugin?.get(plugin);
    if (result === undefined) {
      result = this.buildResources(namespace, name, plugin);
      if (cacheable(result)) {
        if (perPlugin === undefined) this.resourceCache.set(key, (perPlugin = new Map()));
        perPlugin.set(plugin, deepFreeze(result));
      }
    }
    return result;
  }

  routes(filter: { namespace?: string; service?: string } = {}): RouteRow[] {
    this.store.flush();
    const rows: RouteRow[] = [];
    const records = [...this.catalog.componentList()]
      .filter((c) => (filter.namespace ?? c.namespace) === c.namespace && (filter.service ?? c.service) === c.service)
      .sort((a, b) => byKey({ namespace: a.namespace, name: a.service }, { namespace: b.namespace, name: b.service }));
    for (const record of records) {
      const key = `${record.namespace}/${record.service}`;
      let cached = this.routeCache.get(key);
      if (cached === undefined) this.routeCache.set(key, (cached = deepFreeze(buildRoutes(this, record))));
      rows.push(...cached);
    }
    return rows;
  }

  services(): ServiceSummary[] {
    this.store.flush();
    this.serviceList ??= [...this.store.list('Service')]
      .map((s) => this.summary(`${s.metadata.namespace ?? ''}/${s.metadata.name}`) as ServiceSummary)
      .sort(byKey);
    return this.serviceList;
  }

  plugins(): PluginSummary[] {
    this.store.flush();
    this.pluginList ??= [...this.catalog.pluginList()]
      .map((r) => ({
        name: r.plugin.name,
        version: r.plugin.version,
        type: r.plugin.type,
        image: r.plugin.image,
        namespace: r.namespace,
        configMap: r.configMap,
      }))
      .sort((a, b) => (a.name === b.name ? (a.version < b.version ? -1 : 1) : a.name < b.name ? -1 : 1));
    return this.pluginList;
  }

  components(): ComponentSummary[] {
    this.store.flush();
    this.componentList ??= [...this.catalog.componentList()]
      .map((c) => ({
        namespace: c.namespace,
        name: c.service,
        configMap: c.configMap,
        dependencies: c.dependencies.map((d) => d.written),
        plugins: (c.spec.plugins ?? []).map((p) => ({ name: p.name, version: p.version, enabled: p.enabled })),
      }))
      .sort(byKey);
    return this.componentList;
  }

  errors(): ConfigError[] {
    this.store.flush();
    return this.errorLog.list();
  }

  private missingService(namespace: string, name: string): Lookup<never> {
    const reason =
      (this.servicesPerNamespace.get(namespace) ?? 0) === 0
        ? `namespace ${namespace} has no Services`
        : `Service ${namespace}/${name} not found`;
    return { ok: false, code: 'DISC_ERR_NOT_FOUND', reason };
  }

  private buildResources(namespace: string, name: string, plugin: string): Lookup<ResourceSpec> {
    const key = `${namespace}/${name}`;
    const service = this.serviceObject(key);
    if (service === undefined) return this.missingService(namespace, name);
    const record = this.catalog.component(key);
    const notFound = (reason: string): Lookup<never> => ({ ok: false, code: 'DISC_ERR_NOT_FOUND', reason });
    if (record === undefined) return notFound(`${key} has no valid component ConfigMap (label mesh.io/component: ${name})`);
    const use = record.plugins.get(plugin);
    if (use === undefined) return notFound(`component ${key} does not use plugin ${plugin}`);
    if (!use.ok) return notFound(use.reason);
    return this.attempt(() => {
      const spec = buildResourceSpec(this, this.options, service, record, use.plugin, use.entry);
      return { ok: true, value: spec, version: contentVersion(spec) };
    });
  }

  /** A Service whose ports clash with the outer port range gives a 409 with the reason, not a crash. */
  private attempt<T>(build: () => Lookup<T>): Lookup<T> {
    try {
      return build();
    } catch (err) {
      if (!(err instanceof MeshplugError)) throw err;
      return { ok: false, code: new DiscoverErrors.DISC_ERR_UNRESOLVABLE().code, reason: err.message };
    }
  }

  private summary(key: string): ServiceSummary | undefined {
    let summary = this.summaryCache.get(key);
    if (summary === undefined) {
      const service = this.serviceObject(key);
      if (service === undefined) return undefined;
      summary = deepFreeze(serviceSummary(this, service, this.catalog.component(key) !== undefined));
      this.summaryCache.set(key, summary);
    }
    return summary;
  }

  /** Updates indexes for one batch and drops every cached result it concerns. */
  private apply(batch: ChangeBatch): void {
    const docs = new Set<string>(); // mesh documents and routes
    const resources = new Set<string>();
    const summaries = new Set<string>();
    const dependents = (svc: string): ReadonlySet<string> => this.catalog.dependentsOf(svc);
    let errorsChanged = batch.problemsChanged;
    const configMaps = batch.changes.get('ConfigMap');
    if (configMaps !== undefined) {
      for (const c of this.catalog.apply(configMaps)) [docs, resources, summaries].forEach((s) => s.add(c));
      this.pluginList = this.componentList = undefined;
      errorsChanged = true;
    }
    let keysChanged = false;
    for (const [key, old] of batch.changes.get('Service') ?? []) {
      const now = this.serviceObject(key);
      if ((old === undefined) !== (now === undefined)) {
        keysChanged = true;
        const ns = key.slice(0, key.indexOf('/'));
        this.servicesPerNamespace.set(ns, (this.servicesPerNamespace.get(ns) ?? 0) + (now === undefined ? -1 : 1));
      }
      for (const k of [key, ...dependents(key)]) [docs, resources, summaries].forEach((s) => s.add(k));
      this.checkService(key, now);
      errorsChanged = true;
    }
    if (keysChanged) {
      const next = allocateVips([...this.store.list('Service')].map((s) => `${s.metadata.namespace ?? ''}/${s.metadata.name}`));
      for (const key of new Set([...this.vips.keys(), ...next.keys()])) {
        if (this.vips.get(key) === next.get(key)) continue;
        summaries.add(key);
        for (const d of dependents(key)) docs.add(d);
      }
      this.vips = next;
    }
    const endpointsOf = (svc: string): void => {
      this.endpointCache.delete(svc);
      summaries.add(svc);
      for (const d of dependents(svc)) docs.add(d);
    };
    for (const key of batch.changes.get('EndpointSlice')?.keys() ?? []) {
      this.slices.update(key, this.store.getByKey('EndpointSlice', key)).forEach(endpointsOf);
    }
    if (this.options.legacyEndpoints) for (const key of batch.changes.get('Endpoints')?.keys() ?? []) endpointsOf(key);
    for (const k of docs) {
      this.meshCache.delete(k);
      this.routeCache.delete(k);
    }
    for (const k of resources) this.resourceCache.delete(k);
    for (const k of summaries) this.summaryCache.delete(k);
    if (summaries.size > 0) this.serviceList = undefined;
    if (errorsChanged) this.collectErrors();
  }

  private checkService(key: string, service: Service | undefined): void {
    this.serviceIssues.delete(key);
    if (service === undefined) return;
    try {
      ownPorts(service, this.options.outerPortRange);
    } catch (err) {
      if (!(err instanceof MeshplugError)) throw err;
      const [namespace = '', name = ''] = key.split('/');
      this.serviceIssues.set(key, { kind: 'service', namespace, name, path: 'spec.ports', reason: err.message });
    }
  }

  private collectErrors(): void {
    const issues: ErrorIssue[] = [...this.catalog.issues(), ...this.serviceIssues.values()];
    for (const [source, p] of this.store.problems()) issues.push({ kind: 'source', name: source, path: p.where, reason: p.message });
    this.errorLog.update(issues);
  }
}
