import type { Container, InjectPlugin, InjectTarget, Service } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';
import type { ComponentRecord } from '../resolve/component-record.js';
import { groupOptions } from '../resolve/plugin-options.js';
import { isProxied } from '../resolve/port-protocol.js';

/** What the injector reads of the resolved mesh: the Resolver, or one built over a manifest file. */
export interface InjectLookup {
  component(serviceKey: string): ComponentRecord | undefined;
  servicesIn(namespace: string): Service[];
}

function selects(service: Service, labels: Readonly<Record<string, string>>): boolean {
  const selector = service.spec?.selector ?? {};
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/** The Service's target ports as app port numbers; a named targetPort is looked up on the pod's containers. */
function targetAppPorts(service: Service, containers: readonly Container[]): number[] {
  const out: number[] = [];
  for (const p of (service.spec?.ports ?? []).filter(isProxied)) {
    const target = p.targetPort;
    if (typeof target === 'number') out.push(target);
    else if (typeof target === 'string' && /^\d+$/.test(target)) out.push(Number(target));
    else if (typeof target === 'string') {
      const named = containers.flatMap((c) => c.ports ?? []).find((cp) => cp.name === target);
      out.push(named?.containerPort ?? p.port);
    } else out.push(p.port);
  }
  return out;
}

/** The plugin's `injection: env` items of metaType none: defaults, then valuesFrom, then the component's values. */
function envItems(use: InjectPlugin['plugin'], record: ComponentRecord, normal: Record<string, string> | undefined): Record<string, string> {
  const envOnly = { ...use, configGroups: use.configGroups.filter((g) => g.injection === 'env') };
  return groupOptions(envOnly, 'none', undefined, record.shared, normal);
}

/**
 * The component a pod belongs to: the Service of its namespace whose selector
 * matches the pod's labels and that has a component ConfigMap. `undefined` when
 * none does (the pod is left alone); an error when several do, since the pod
 * could only carry one set of outer ports.
 */
export function findInjectTarget(
  lookup: InjectLookup,
  namespace: string,
  labels: Readonly<Record<string, string>>,
  containers: readonly Container[],
): InjectTarget | undefined {
  const matches = lookup
    .servicesIn(namespace)
    .filter((s) => selects(s, labels))
    .map((s) => ({ service: s, record: lookup.component(`${namespace}/${s.metadata.name}`) }))
    .filter((m): m is { service: Service; record: ComponentRecord } => m.record !== undefined)
    .sort((a, b) => (a.service.metadata.name < b.service.metadata.name ? -1 : 1));
  if (matches.length === 0) return undefined;
  if (matches.length > 1) {
    throw new DiscoverErrors.DISC_ERR_INJECT_AMBIGUOUS(
      `pod labels ${JSON.stringify(labels)} match components ${matches.map((m) => `${namespace}/${m.service.metadata.name}`).join(', ')}`,
    );
  }
  const { service, record } = matches[0]!;
  const plugins: InjectPlugin[] = [];
  for (const use of record.plugins.values()) {
    if (!use.ok || !use.entry.enabled) continue;
    plugins.push({ plugin: use.plugin, ref: use.entry, env: envItems(use.plugin, record, use.entry.values?.normal) });
  }
  return { namespace, service: service.metadata.name, appPorts: targetAppPorts(service, containers), plugins };
}
