import type { DependencyRef, PluginValues } from '../model/component.js';
import type { ConfigItem, MetaType, PluginVersion } from '../model/plugin.js';
import { dependencyKey, isDependencyRef, parseDependencyRef } from './dependency-ref.js';
import { joinPath } from './json-path.js';
import type { ValidationIssue } from './validated.js';
import { optionValueReason } from './validate-plugin-version.js';

/** Where each metaType's values are written in `PluginValues`. */
const SECTION: Readonly<Record<MetaType, keyof PluginValues>> = {
  none: 'normal',
  'component-port': 'ports',
  'downstream-port': 'services',
};

/**
 * Values a component sets for one plugin, checked against that plugin version: unknown item names,
 * overriding a non-editable item, a radio value not in options, checkbox values not in options,
 * a `services` key that names no declared dependency, a `ports` key that is not a port number.
 * Paths start at `at` (default `values`); prefix them with the plugin entry (`plugins[0].`).
 */
export function checkPluginValues(
  plugin: PluginVersion,
  values: PluginValues | undefined,
  dependencies: DependencyRef[],
  namespace: string,
  at = 'values',
): ValidationIssue[] {
  if (values === undefined) return [];
  const items = indexItems(plugin);
  const issues: ValidationIssue[] = [];
  const check = (section: MetaType, set: Record<string, string>, path: string): void => {
    for (const [name, value] of Object.entries(set)) {
      issues.push(...checkValue(plugin, items, section, name, value, joinPath(path, name)));
    }
  };
  if (values.normal !== undefined) check('none', values.normal, joinPath(at, 'normal'));
  for (const [port, set] of Object.entries(values.ports ?? {})) {
    const path = joinPath(joinPath(at, 'ports'), port);
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      issues.push({ path, reason: 'must be a port number from 1 to 65535' });
    } else check('component-port', set, path);
  }
  for (const [target, set] of Object.entries(values.services ?? {})) {
    const path = joinPath(joinPath(at, 'services'), target);
    const reason = serviceKeyReason(target, dependencies, namespace);
    if (reason !== undefined) issues.push({ path, reason });
    else check('downstream-port', set, path);
  }
  return issues;
}

/** Items by name, with the metaType of their group; item names are unique in a valid plugin version. */
function indexItems(plugin: PluginVersion): Map<string, { item: ConfigItem; metaType: MetaType }> {
  const items = new Map<string, { item: ConfigItem; metaType: MetaType }>();
  for (const group of plugin.configGroups) {
    for (const item of group.items) items.set(item.name, { item, metaType: group.metaType });
  }
  return items;
}

function checkValue(
  plugin: PluginVersion,
  items: Map<string, { item: ConfigItem; metaType: MetaType }>,
  section: MetaType,
  name: string,
  value: string,
  path: string,
): ValidationIssue[] {
  const found = items.get(name);
  const here = [...items.values()].filter((e) => e.metaType === section).map((e) => e.item.name);
  if (found === undefined) {
    const known = here.length > 0 ? `items here: ${here.join(', ')}` : `it has no items of metaType ${section}`;
    return [{ path, reason: `unknown item \`${name}\`: plugin ${plugin.name} ${plugin.version} has no such item (${known})` }];
  }
  if (found.metaType !== section) {
    return [{ path, reason: `item \`${name}\` is a ${found.metaType} item: set it under values.${SECTION[found.metaType]}` }];
  }
  const { item } = found;
  if (item.editable === false && value !== (item.default ?? '')) {
    return [{ path, reason: `item \`${name}\` is not editable: remove it (the plugin's default \`${item.default ?? ''}\` applies)` }];
  }
  if (item.type === 'radio' || item.type === 'checkbox') {
    const reason = optionValueReason(item.type, value, item.options ?? []);
    if (reason !== undefined) return [{ path, reason }];
  }
  return [];
}

/** Why a `services` key does not name a declared dependency port, or undefined when it does. */
function serviceKeyReason(target: string, dependencies: DependencyRef[], namespace: string): string | undefined {
  const ref = parseDependencyRef(target, namespace);
  if (!isDependencyRef(ref)) return ref.reason;
  if (ref.port === undefined) return `must name a dependency port, like \`${target}:8080\``;
  const sameService = dependencies.filter((d) => d.name === ref.name && d.namespace === ref.namespace);
  if (sameService.length === 0) {
    const declared = dependencies.map((d) => dependencyKey(d)).join(', ');
    return `names no declared dependency (dependencies: ${declared === '' ? 'none' : declared})`;
  }
  if (!sameService.some((d) => d.port === undefined || d.port === ref.port)) {
    return `port ${ref.port} is not a declared port of dependency ${sameService.map((d) => dependencyKey(d)).join(', ')}`;
  }
  return undefined;
}
