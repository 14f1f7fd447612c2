import type { ComponentSpec } from '../model/component.js';
import {
  KEY_COMPONENT,
  KEY_PLUGIN,
  LABEL_COMPONENT,
  LABEL_PLUGIN,
  LABEL_PLUGIN_VERSION,
  type ConfigMap,
} from '../model/kube.js';
import type { PluginVersion } from '../model/plugin.js';
import { DNS_LABEL_PATTERN, PATTERN_REASONS } from '../schema/common.js';
import { joinPath } from './json-path.js';
import { isRecord } from './shape.js';
import { readYamlKey } from './read-yaml-key.js';
import { invalid, valid, type Validated, type ValidationIssue } from './validated.js';
import { validateComponentSpec } from './validate-component-spec.js';
import { validatePluginVersion } from './validate-plugin-version.js';

const DNS_LABEL = new RegExp(DNS_LABEL_PATTERN);
const labelPath = (label: string): string => joinPath(joinPath('metadata', 'labels'), label);

/** A plugin ConfigMap (labels `mesh.io/plugin` + `mesh.io/plugin-version`, key `plugin.yaml`) -> PluginVersion. */
export function parsePluginConfigMap(cm: ConfigMap): Validated<PluginVersion> {
  const issues: ValidationIssue[] = [];
  if (cm.immutable !== true) {
    issues.push({
      path: 'immutable',
      reason: 'must be true: a published plugin version is immutable, a change is published as a new version',
    });
  }
  const labels = cm.metadata.labels ?? {};
  const doc = readYamlKey(cm, KEY_PLUGIN);
  const plugin = doc.ok ? validatePluginVersion(doc.value) : doc;
  if (!plugin.ok) issues.push(...(doc.ok ? inKey(plugin.issues, KEY_PLUGIN) : plugin.issues));
  const written = doc.ok && isRecord(doc.value) ? doc.value : {};
  for (const [label, field] of [
    [LABEL_PLUGIN, 'name'],
    [LABEL_PLUGIN_VERSION, 'version'],
  ] as const) {
    const labelValue = labels[label];
    const inside = written[field];
    if (labelValue === undefined) issues.push({ path: labelPath(label), reason: 'is required' });
    else if (typeof inside === 'string' && inside !== labelValue) {
      issues.push({ path: labelPath(label), reason: `is \`${labelValue}\` but ${KEY_PLUGIN} has ${field} \`${inside}\`` });
    }
  }
  return issues.length > 0 || !plugin.ok ? invalid(issues) : valid(plugin.value);
}

/** A component ConfigMap (label `mesh.io/component`, key `component.yaml`) -> ComponentSpec. */
export function parseComponentConfigMap(cm: ConfigMap): Validated<ComponentSpec> {
  const issues: ValidationIssue[] = [];
  const service = cm.metadata.labels?.[LABEL_COMPONENT];
  if (service === undefined) issues.push({ path: labelPath(LABEL_COMPONENT), reason: 'is required' });
  else if (service.length > 63 || !DNS_LABEL.test(service)) {
    const rule = PATTERN_REASONS[DNS_LABEL_PATTERN] ?? '';
    issues.push({ path: labelPath(LABEL_COMPONENT), reason: `names a Service, so it ${rule}, at most 63 characters` });
  }
  const doc = readYamlKey(cm, KEY_COMPONENT);
  const spec = doc.ok ? validateComponentSpec(doc.value, cm.metadata.namespace ?? 'default') : doc;
  if (!spec.ok) issues.push(...(doc.ok ? inKey(spec.issues, KEY_COMPONENT) : spec.issues));
  return issues.length > 0 || !spec.ok ? invalid(issues) : valid(spec.value);
}

/** Issues found inside the parsed document are placed in its data key. */
function inKey(issues: ValidationIssue[], key: string): ValidationIssue[] {
  return issues.map((issue) => ({ ...issue, key }));
}
