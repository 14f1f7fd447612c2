import type { ConfigMap, DependencyRef, MetaType, PluginVersion } from '@meshplug/plugin-api';
import { parseDependencyRef, isDependencyRef } from '@meshplug/plugin-api';

/**
 * The options of one plugin's groups of `metaType` for one port, merged
 * lowest to highest: item defaults, then `shared` (valuesFrom), then the
 * component's own values. Non-editable items keep their default. With a
 * `protocol`, items limited to other protocols are left out. Items with no
 * value at all are left out, so every option is a string.
 */
export function groupOptions(
  plugin: PluginVersion,
  metaType: MetaType,
  protocol: string | undefined,
  shared: Readonly<Record<string, string>>,
  own: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const group of plugin.configGroups) {
    if (group.metaType !== metaType) continue;
    for (const item of group.items) {
      const only = item.protocols ?? [];
      if (protocol !== undefined && only.length > 0 && !only.some((p) => p.toLowerCase() === protocol)) continue;
      const value = item.editable === false ? item.default : (own?.[item.name] ?? shared[item.name] ?? item.default);
      if (value !== undefined) out[item.name] = value;
    }
  }
  return out;
}

/**
 * The values a valuesFrom ConfigMap contributes: keys starting with `prefix`,
 * prefix removed; the rest of the key is an item name, in any group.
 */
export function valuesFromConfigMap(cm: ConfigMap, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(cm.data ?? {})) {
    if (key.startsWith(prefix) && key.length > prefix.length) out[key.slice(prefix.length)] = value;
  }
  return out;
}

/**
 * The component's own values for one dependency port. `values.services` keys
 * may spell a dependency any valid way (`tomcat:8080`, `tomcat.shop:8080`);
 * they match by the service and port they name. Keys are applied in sorted
 * order so two spellings of one port merge the same way everywhere.
 */
export function serviceValues(
  services: Readonly<Record<string, Record<string, string>>> | undefined,
  namespace: string,
  dependency: DependencyRef,
  port: number,
): Record<string, string> | undefined {
  if (services === undefined) return undefined;
  let merged: Record<string, string> | undefined;
  for (const key of Object.keys(services).sort()) {
    const ref = parseDependencyRef(key, namespace);
    if (!isDependencyRef(ref) || ref.name !== dependency.name || ref.namespace !== dependency.namespace) continue;
    if (ref.port !== port) continue;
    merged = { ...merged, ...services[key] };
  }
  return merged;
}
