import type { ComponentSpec } from '../model/component.js';
import { componentSpecSchema } from '../schema/component-spec.js';
import { coerceMapValues } from './coerce-scalars.js';
import { dependencyKey, isDependencyRef, parseDependencyRef } from './dependency-ref.js';
import { joinPath } from './json-path.js';
import { isRecord, listOf } from './shape.js';
import { compileSchema } from './schema-validator.js';
import { invalid, valid, type Validated, type ValidationIssue } from './validated.js';

const checkSchema = compileSchema(componentSpecSchema);

/**
 * Validates a component (the parsed `component.yaml`) written in `namespace`. Values are checked
 * against the plugins later (`checkPluginValues`), since plugin versions may arrive after components.
 * The input is not changed; the value returned is a copy with YAML scalars in `values` turned into
 * strings and `enabled` defaulted to true.
 */
export function validateComponentSpec(value: unknown, namespace = 'default'): Validated<ComponentSpec> {
  const copy = structuredClone(value);
  coerce(copy);
  const issues = [...checkSchema(copy), ...checkSemantics(copy, namespace)];
  if (issues.length > 0) return invalid(issues);
  const spec = copy as ComponentSpec;
  return valid({
    ...spec,
    ...(spec.plugins === undefined ? {} : { plugins: spec.plugins.map((p) => ({ ...p, enabled: p.enabled ?? true })) }),
  });
}

function coerce(spec: unknown): void {
  if (!isRecord(spec)) return;
  for (const plugin of listOf(spec['plugins'])) {
    if (!isRecord(plugin) || !isRecord(plugin['values'])) continue;
    const values = plugin['values'];
    coerceMapValues(values['normal']);
    for (const perKey of ['ports', 'services']) {
      const map = values[perKey];
      if (isRecord(map)) Object.values(map).forEach(coerceMapValues);
    }
  }
}

function checkSemantics(spec: unknown, namespace: string): ValidationIssue[] {
  if (!isRecord(spec)) return [];
  const issues: ValidationIssue[] = [];
  const dependencies = new Map<string, string>();
  listOf(spec['dependencies']).forEach((ref, i) => {
    if (typeof ref !== 'string' || ref === '') return;
    const path = joinPath('dependencies', i);
    const parsed = parseDependencyRef(ref, namespace);
    if (!isDependencyRef(parsed)) {
      issues.push({ path, reason: parsed.reason });
      return;
    }
    const key = dependencyKey(parsed);
    const first = dependencies.get(key);
    if (first === undefined) dependencies.set(key, path);
    else issues.push({ path, reason: `duplicate dependency \`${ref}\` (first at ${first})` });
  });
  const plugins = new Map<string, string>();
  listOf(spec['plugins']).forEach((plugin, i) => {
    if (!isRecord(plugin) || typeof plugin['name'] !== 'string') return;
    const path = joinPath(joinPath('plugins', i), 'name');
    const first = plugins.get(plugin['name']);
    if (first === undefined) plugins.set(plugin['name'], path);
    else issues.push({ path, reason: `plugin \`${plugin['name']}\` is listed twice (first at ${first}): one version per plugin` });
  });
  return issues;
}
