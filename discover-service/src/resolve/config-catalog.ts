import {
  LABEL_COMPONENT,
  LABEL_PLUGIN,
  parseComponentConfigMap,
  parsePluginConfigMap,
  type ComponentSpec,
  type ConfigMap,
  type KubeObject,
  type PluginVersion,
  type Validated,
} from '@meshplug/plugin-api';
import type { Store } from '../store/store.js';
import {
  buildComponentRecord,
  cmIssues,
  type CatalogIssue,
  type ComponentRecord,
  type PluginRecord,
} from './component-record.js';

interface Parsed<T> {
  signature: string;
  cm: ConfigMap;
  result: Validated<T>;
}

const pluginId = (name: string, version: string): string => `${name}@${version}`;

function signature(cm: ConfigMap): string {
  const { uid, resourceVersion } = cm.metadata;
  return uid !== undefined && resourceVersion !== undefined ? `${uid}/${resourceVersion}` : JSON.stringify(cm);
}

/** Duplicates are settled the same way on every replica: oldest first, then by namespace/name. */
function definitionOrder(a: ConfigMap, b: ConfigMap): number {
  const time = (cm: ConfigMap): number => {
    const ms = cm.metadata.creationTimestamp === undefined ? Number.NaN : new Date(cm.metadata.creationTimestamp).getTime();
    return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
  };
  const d = time(a) - time(b);
  if (d !== 0 && !Number.isNaN(d)) return d;
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Parses `cm` into `cache` unless this version is there already (`undefined`: drop it); returns whether anything changed. */
function reparse<T>(
  cache: Map<string, Parsed<T>>,
  key: string,
  cm: ConfigMap | undefined,
  parse: (cm: ConfigMap) => Validated<T>,
): boolean {
  if (cm === undefined) return cache.delete(key);
  const sig = signature(cm);
  if (cache.get(key)?.signature === sig) return false;
  cache.set(key, { signature: sig, cm, result: parse(cm) });
  return true;
}

/**
 * Plugin versions and components parsed from ConfigMaps, each parsed once per
 * object version, with the indexes the resolver invalidates by: which
 * components depend on a Service, which use a valuesFrom ConfigMap.
 */
export class ConfigCatalog {
  private readonly pluginCms = new Map<string, Parsed<PluginVersion>>();
  private readonly componentCms = new Map<string, Parsed<ComponentSpec>>();
  private readonly registry = new Map<string, PluginRecord>();
  private pluginIssues: CatalogIssue[] = [];
  private readonly components = new Map<string, ComponentRecord>();
  /** Component (`ns/service`) -> the ConfigMap key that defines it. */
  private owners = new Map<string, string>();
  private duplicateComponentIssues: CatalogIssue[] = [];
  private readonly dependents = new Map<string, Set<string>>();
  private readonly valuesUsers = new Map<string, Set<string>>();

  constructor(private readonly store: Store) {}

  /**
   * Applies a batch of ConfigMap changes; returns the components (`ns/service`)
   * whose records changed or may resolve differently.
   */
  apply(changes: ReadonlyMap<string, KubeObject | undefined>): Set<string> {
    const affected = new Set<string>();
    let pluginsChanged = false;
    let componentsChanged = false;
    for (const [key, old] of changes) {
      const now = this.store.getByKey('ConfigMap', key) as ConfigMap | undefined;
      for (const user of this.valuesUsers.get(key) ?? []) affected.add(user);
      if (this.isPlugin(old) || this.isPlugin(now)) {
        const cm = this.isPlugin(now) ? now : undefined;
        pluginsChanged = reparse(this.pluginCms, key, cm, parsePluginConfigMap) || pluginsChanged;
      }
      if (this.isComponent(old) || this.isComponent(now)) {
        const cm = this.isComponent(now) ? now : undefined;
        componentsChanged = reparse(this.componentCms, key, cm, parseComponentConfigMap) || componentsChanged;
        for (const cm of [old, now]) {
          const svc = this.componentService(cm);
          if (svc !== undefined) affected.add(svc);
        }
      }
    }
    if (pluginsChanged) {
      this.rebuildRegistry();
      for (const key of this.components.keys()) affected.add(key);
    }
    if (componentsChanged) {
      for (const key of this.rebuildComponentOwners()) affected.add(key);
    }
    for (const key of affected) this.rebuildComponent(key);
    if (componentsChanged) this.rebuildIndexes();
    return affected;
  }

  plugin(name: string, version: string): PluginRecord | undefined {
    return this.registry.get(pluginId(name, version));
  }

  pluginList(): IterableIterator<PluginRecord> {
    return this.registry.values();
  }

  component(serviceKey: string): ComponentRecord | undefined {
    return this.components.get(serviceKey);
  }

  componentList(): IterableIterator<ComponentRecord> {
    return this.components.values();
  }

  /** Components (`ns/service`) that list `serviceKey` as a dependency. */
  dependentsOf(serviceKey: string): ReadonlySet<string> {
    return this.dependents.get(serviceKey) ?? new Set();
  }

  issues(): CatalogIssue[] {
    const out = [...this.pluginIssues, ...this.duplicateComponentIssues];
    for (const [key, parsed] of this.componentCms) {
      if (!parsed.result.ok) out.push(...cmIssues('component', key, parsed.result.issues));
    }
    for (const c of this.components.values()) out.push(...c.issues);
    return out;
  }

  private isPlugin(cm: KubeObject | undefined): boolean {
    return cm?.metadata.labels?.[LABEL_PLUGIN] !== undefined;
  }

  private isComponent(cm: KubeObject | undefined): boolean {
    return !this.isPlugin(cm) && cm?.metadata.labels?.[LABEL_COMPONENT] !== undefined;
  }

  private componentService(cm: KubeObject | undefined): string | undefined {
    if (cm === undefined || !this.isComponent(cm)) return undefined;
    return `${cm.metadata.namespace ?? ''}/${cm.metadata.labels?.[LABEL_COMPONENT] ?? ''}`;
  }

  private rebuildRegistry(): void {
    this.registry.clear();
    this.pluginIssues = [];
    const entries = [...this.pluginCms.entries()].sort(([, a], [, b]) => definitionOrder(a.cm, b.cm));
    for (const [key, parsed] of entries) {
      if (!parsed.result.ok) {
        this.pluginIssues.push(...cmIssues('plugin', key, parsed.result.issues));
        continue;
      }
      const p = parsed.result.value;
      const first = this.registry.get(pluginId(p.name, p.version));
      if (first !== undefined) {
        this.pluginIssues.push(
          ...cmIssues('plugin', key, [
            {
              path: 'data["plugin.yaml"].version',
              reason: `plugin ${p.name} ${p.version} is already published by ConfigMap ${first.namespace}/${first.configMap}; publish a new version instead`,
            },
          ]),
        );
        continue;
      }
      this.registry.set(pluginId(p.name, p.version), {
        namespace: parsed.cm.metadata.namespace ?? '',
        configMap: parsed.cm.metadata.name,
        plugin: p,
      });
    }
  }

  /** Picks the ConfigMap that defines each component; returns every component key whose owner may have changed. */
  private rebuildComponentOwners(): Set<string> {
    const before = this.owners;
    this.owners = new Map();
    this.duplicateComponentIssues = [];
    const valid = [...this.componentCms.entries()]
      .filter(([, p]) => p.result.ok)
      .sort(([, a], [, b]) => definitionOrder(a.cm, b.cm));
    for (const [cmKey, parsed] of valid) {
      const svc = this.componentService(parsed.cm) ?? '';
      const first = this.owners.get(svc);
      if (first === undefined) {
        this.owners.set(svc, cmKey);
        continue;
      }
      this.duplicateComponentIssues.push(
        ...cmIssues('component', cmKey, [
          { path: `metadata.labels["${LABEL_COMPONENT}"]`, reason: `component ${svc} is already defined by ConfigMap ${first}` },
        ]),
      );
    }
    const changed = new Set<string>();
    for (const key of new Set([...before.keys(), ...this.owners.keys()])) {
      if (before.get(key) !== this.owners.get(key)) changed.add(key);
    }
    return changed;
  }

  private rebuildComponent(serviceKey: string): void {
    const cmKey = this.owners.get(serviceKey);
    const parsed = cmKey === undefined ? undefined : this.componentCms.get(cmKey);
    if (parsed === undefined || !parsed.result.ok) {
      this.components.delete(serviceKey);
      return;
    }
    const record = buildComponentRecord(serviceKey, parsed.cm, parsed.result.value, {
      plugin: (name, version) => this.plugin(name, version),
      configMap: (namespace, name) => this.store.get('ConfigMap', namespace, name) as ConfigMap | undefined,
    });
    this.components.set(serviceKey, record);
  }

  private rebuildIndexes(): void {
    this.dependents.clear();
    this.valuesUsers.clear();
    const add = (index: Map<string, Set<string>>, key: string, user: string): void => {
      let set = index.get(key);
      if (set === undefined) index.set(key, (set = new Set()));
      set.add(user);
    };
    for (const [svc, c] of this.components) {
      for (const d of c.dependencies) add(this.dependents, `${d.ref.namespace}/${d.ref.name}`, svc);
      for (const from of c.spec.valuesFrom ?? []) add(this.valuesUsers, `${c.namespace}/${from.configMap}`, svc);
    }
  }
}
