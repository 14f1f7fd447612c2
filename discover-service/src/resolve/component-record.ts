import {
  checkPluginValues,
  isDependencyRef,
  parseDependencyRef,
  parseTrafficPolicy,
  type ComponentPlugin,
  type ComponentSpec,
  type ConfigMap,
  type DependencyRef,
  type PluginValues,
  type PluginVersion,
  type ValidationIssue,
} from '@meshplug/plugin-api';
import { valuesFromConfigMap } from './plugin-options.js';

/** A problem with a ConfigMap the user wrote; the resolver adds `since`. */
export interface CatalogIssue {
  kind: 'plugin' | 'component' | 'values';
  namespace: string;
  name: string;
  path: string;
  reason: string;
}

export interface PluginRecord {
  namespace: string;
  configMap: string;
  plugin: PluginVersion;
}

export interface ComponentDependency {
  /** As the component wrote it. */
  written: string;
  ref: DependencyRef;
}

/** A plugin entry of a component: usable, or why not (disabled, not published, rejected values). */
export type PluginUse =
  | { ok: true; index: number; entry: ComponentPlugin; plugin: PluginVersion }
  | { ok: false; index: number; entry: ComponentPlugin; reason: string };

export interface ComponentRecord {
  namespace: string;
  service: string;
  configMap: string;
  spec: ComponentSpec;
  dependencies: ComponentDependency[];
  /** By plugin name (a component lists a plugin once). */
  plugins: Map<string, PluginUse>;
  /** valuesFrom merged, later entries winning. */
  shared: Record<string, string>;
  issues: CatalogIssue[];
}

/** `data["component.yaml"].plugins[0]`: a path from the ConfigMap object down into its YAML. */
function issuePath(issue: ValidationIssue): string {
  if (issue.key === undefined || issue.key === '') return issue.path;
  const base = `data[${JSON.stringify(issue.key)}]`;
  if (issue.path === '') return base;
  return issue.path.startsWith('[') ? `${base}${issue.path}` : `${base}.${issue.path}`;
}

/** Validation issues of the ConfigMap `namespace/name` as catalog issues. */
export function cmIssues(kind: CatalogIssue['kind'], cmKey: string, issues: ValidationIssue[]): CatalogIssue[] {
  const [namespace = '', name = ''] = cmKey.split('/');
  return issues.map((i) => ({ kind, namespace, name, path: issuePath(i), reason: i.reason }));
}

/** Per-port traffic options (Weight, LBPolicy, timeouts...) checked as the sidecar will read them. */
function trafficIssues(values: PluginValues | undefined, at: string): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const section of ['ports', 'services'] as const) {
    for (const [port, set] of Object.entries(values?.[section] ?? {})) {
      for (const i of parseTrafficPolicy(set).issues) {
        out.push({ path: `${at}.${section}[${JSON.stringify(port)}].${i.path}`, reason: i.reason });
      }
    }
  }
  return out;
}

/** What a component record is resolved against. */
export interface RecordLookups {
  plugin(name: string, version: string): PluginRecord | undefined;
  configMap(namespace: string, name: string): ConfigMap | undefined;
}

/**
 * A valid component resolved against the published plugins and its valuesFrom
 * ConfigMaps: each plugin entry usable or not (and why), the shared values,
 * and the issues to list.
 */
export function buildComponentRecord(serviceKey: string, cm: ConfigMap, spec: ComponentSpec, lookups: RecordLookups): ComponentRecord {
  const cmKey = `${cm.metadata.namespace ?? ''}/${cm.metadata.name}`;
  const [namespace = '', service = ''] = serviceKey.split('/');
  const dependencies: ComponentDependency[] = [];
  for (const written of spec.dependencies ?? []) {
    const ref = parseDependencyRef(written, namespace);
    if (isDependencyRef(ref)) dependencies.push({ written, ref });
  }
  const refs = dependencies.map((d) => d.ref);
  const issues: ValidationIssue[] = [];
  const plugins = new Map<string, PluginUse>();
  (spec.plugins ?? []).forEach((entry, index) => {
    const at = `plugins[${index}]`;
    if (!entry.enabled) {
      plugins.set(entry.name, { ok: false, index, entry, reason: `plugin ${entry.name} is disabled on ${serviceKey}` });
      return;
    }
    const record = lookups.plugin(entry.name, entry.version);
    if (record === undefined) {
      const reason = `plugin ${entry.name} version ${entry.version} is not published`;
      issues.push({ key: 'component.yaml', path: `${at}.version`, reason });
      plugins.set(entry.name, { ok: false, index, entry, reason });
      return;
    }
    const bad = [
      ...checkPluginValues(record.plugin, entry.values, refs, namespace, `${at}.values`),
      ...trafficIssues(entry.values, `${at}.values`),
    ];
    if (bad.length > 0) {
      issues.push(...bad.map((i) => ({ ...i, key: 'component.yaml' })));
      const first = bad[0] as ValidationIssue;
      const reason = `plugin ${entry.name} on ${serviceKey} is rejected: ${first.path}: ${first.reason}`;
      plugins.set(entry.name, { ok: false, index, entry, reason });
      return;
    }
    plugins.set(entry.name, { ok: true, index, entry, plugin: record.plugin });
  });
  const shared: Record<string, string> = {};
  const valuesIssues: CatalogIssue[] = [];
  (spec.valuesFrom ?? []).forEach((from, i) => {
    const source = lookups.configMap(namespace, from.configMap);
    if (source === undefined) {
      valuesIssues.push(
        ...cmIssues('values', cmKey, [
          { key: 'component.yaml', path: `valuesFrom[${i}].configMap`, reason: `ConfigMap ${namespace}/${from.configMap} does not exist` },
        ]),
      );
      return;
    }
    const prefix = from.prefix ?? '';
    const values = valuesFromConfigMap(source, prefix);
    // A bad shared value is reported on its ConfigMap; the sidecar falls back to the option's default.
    const bad = parseTrafficPolicy(values).issues.map((issue) => ({ path: `data[${JSON.stringify(prefix + issue.path)}]`, reason: issue.reason }));
    valuesIssues.push(...cmIssues('values', `${namespace}/${from.configMap}`, bad));
    Object.assign(shared, values);
  });
  return {
    namespace,
    service,
    configMap: cm.metadata.name,
    spec,
    dependencies,
    plugins,
    shared,
    issues: [...cmIssues('component', cmKey, issues), ...valuesIssues],
  };
}
