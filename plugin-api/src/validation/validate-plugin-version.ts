import type { PluginVersion } from '../model/plugin.js';
import { pluginVersionSchema } from '../schema/plugin-version.js';
import { coerceListValues, scalarToString } from './coerce-scalars.js';
import { joinPath } from './json-path.js';
import { isRecord, listOf } from './shape.js';
import { compileSchema } from './schema-validator.js';
import { invalid, valid, type Validated, type ValidationIssue } from './validated.js';

const checkSchema = compileSchema(pluginVersionSchema);

/**
 * Validates a plugin version (the parsed `plugin.yaml`): the schema, then what a schema cannot say
 * (unique names, defaults within options). The input is not changed; the value returned is a copy
 * with YAML scalars in `default`/`options` turned into strings and `configGroups` defaulted to `[]`.
 */
export function validatePluginVersion(value: unknown): Validated<PluginVersion> {
  const copy = structuredClone(value);
  coerce(copy);
  const issues = [...checkSchema(copy), ...checkSemantics(copy)];
  if (issues.length > 0) return invalid(issues);
  const plugin = copy as PluginVersion;
  return valid({ ...plugin, configGroups: plugin.configGroups ?? [] });
}

function coerce(plugin: unknown): void {
  if (!isRecord(plugin)) return;
  for (const group of listOf(plugin['configGroups'])) {
    if (!isRecord(group)) continue;
    for (const item of listOf(group['items'])) {
      if (!isRecord(item)) continue;
      if ('default' in item) item['default'] = scalarToString(item['default']);
      coerceListValues(item['options']);
    }
  }
}

/** Checks written against possibly malformed input: each looks only at parts of the right shape. */
function checkSemantics(plugin: unknown): ValidationIssue[] {
  if (!isRecord(plugin)) return [];
  const issues: ValidationIssue[] = [];
  const groupNames = new Map<string, string>();
  const itemNames = new Map<string, string>();
  listOf(plugin['configGroups']).forEach((group, g) => {
    if (!isRecord(group)) return;
    const groupPath = joinPath('configGroups', g);
    checkUnique(groupNames, group['name'], joinPath(groupPath, 'name'), 'group name', issues);
    listOf(group['items']).forEach((item, i) => {
      if (!isRecord(item)) return;
      const itemPath = joinPath(joinPath(groupPath, 'items'), i);
      checkUnique(itemNames, item['name'], joinPath(itemPath, 'name'), 'item name', issues);
      checkItemOptions(item, itemPath, issues);
    });
  });
  return issues;
}

function checkUnique(
  seen: Map<string, string>,
  name: unknown,
  path: string,
  what: string,
  issues: ValidationIssue[],
): void {
  if (typeof name !== 'string') return;
  const first = seen.get(name);
  if (first === undefined) seen.set(name, path);
  else issues.push({ path, reason: `duplicate ${what} \`${name}\` (first at ${first})` });
}

function checkItemOptions(item: Record<string, unknown>, itemPath: string, issues: ValidationIssue[]): void {
  const type = item['type'];
  if (type !== 'radio' && type !== 'checkbox') return;
  const optionsPath = joinPath(itemPath, 'options');
  const options = item['options'];
  if (options === undefined || (Array.isArray(options) && options.length === 0)) {
    issues.push({ path: optionsPath, reason: `must list at least one option for a ${type} item` });
    return;
  }
  if (!Array.isArray(options) || !options.every((o): o is string => typeof o === 'string')) return;
  const seen = new Set<string>();
  options.forEach((option, k) => {
    if (seen.has(option)) issues.push({ path: joinPath(optionsPath, k), reason: `duplicate option \`${option}\`` });
    seen.add(option);
  });
  const value = item['default'];
  if (typeof value !== 'string') return;
  const reason = optionValueReason(type, value, options);
  if (reason !== undefined) issues.push({ path: joinPath(itemPath, 'default'), reason });
}

/**
 * Why a value does not fit a radio or checkbox item's options, or undefined when it does. A radio
 * value is one option; a checkbox value is a comma-separated list of options (empty: none chosen).
 */
export function optionValueReason(type: 'radio' | 'checkbox', value: string, options: readonly string[]): string | undefined {
  const allowed = options.join(', ');
  if (type === 'radio') return options.includes(value) ? undefined : `must be one of ${allowed}`;
  const chosen = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  const unknown = chosen.filter((v) => !options.includes(v));
  if (unknown.length === 0) return undefined;
  return `${unknown.map((v) => `\`${v}\``).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the options (${allowed})`;
}
