import type { ComponentPlugin, PluginVersion, ResourceSpec, Service } from '@meshplug/plugin-api';
import type { ComponentRecord } from './component-record.js';
import { dependencyPorts, ownPorts, type DependencyLookup } from './component-ports.js';
import { groupOptions, serviceValues } from './plugin-options.js';
import type { ResolvedResolverOptions } from './resolver-options.js';

/**
 * One plugin's config on one component, in Rainbond's ResourceSpec shape:
 * `base_ports` per own port (component-port items), `base_services` per
 * dependency port (downstream-port items), `base_normal` (none items).
 * Throws API_ERR_OUTER_PORTS when the Service's ports clash with the outer range.
 */
export function buildResourceSpec(
  lookup: DependencyLookup,
  options: ResolvedResolverOptions,
  service: Service,
  record: ComponentRecord,
  plugin: PluginVersion,
  entry: ComponentPlugin,
): ResourceSpec {
  const alias = service.metadata.name;
  const id = service.metadata.uid ?? '';
  const values = entry.values ?? {};
  return {
    base_ports: ownPorts(service, options.outerPortRange).map((p) => ({
      service_alias: alias,
      service_id: id,
      port: p.appPort,
      listen_port: p.outerPort,
      protocol: p.protocol,
      options: groupOptions(plugin, 'component-port', p.protocol, record.shared, values.ports?.[String(p.appPort)]),
    })),
    base_services: dependencyPorts(lookup, record).ports.map((d) => ({
      service_alias: alias,
      service_id: id,
      depend_service_alias: d.service.metadata.name,
      depend_service_id: d.service.metadata.uid ?? '',
      port: d.servicePort.port,
      protocol: d.protocol,
      options: groupOptions(
        plugin,
        'downstream-port',
        d.protocol,
        record.shared,
        serviceValues(values.services, record.namespace, d.dependency.ref, d.servicePort.port),
      ),
    })),
    base_normal: { options: groupOptions(plugin, 'none', undefined, record.shared, values.normal) },
  };
}
