import { assignOuterPorts, type PortRange, type Service, type ServicePort } from '@meshplug/plugin-api';
import type { ComponentDependency, ComponentRecord, PluginUse } from './component-record.js';
import { appPort, isProxied, portProtocol } from './port-protocol.js';

/** One proxied port of a component's own Service. */
export interface OwnPort {
  servicePort: ServicePort;
  appPort: number;
  outerPort: number;
  protocol: string;
}

/** One port of one dependency the component may call. */
export interface DependencyPort {
  dependency: ComponentDependency;
  serviceKey: string;
  service: Service;
  servicePort: ServicePort;
  protocol: string;
  vip: string;
}

/** A dependency that gives no route, and why. */
export interface DependencyProblem {
  dependency: ComponentDependency;
  serviceKey: string;
  problem: string;
}

/** The Service's proxied ports with their outer ports; throws API_ERR_OUTER_PORTS on a conflict with the range. */
export function ownPorts(service: Service, range: PortRange): OwnPort[] {
  const ports = (service.spec?.ports ?? []).filter(isProxied);
  const outer = assignOuterPorts(ports.map(appPort), range);
  return ports.map((p) => ({
    servicePort: p,
    appPort: appPort(p),
    outerPort: outer.get(appPort(p)) as number,
    protocol: portProtocol(p),
  }));
}

/** What the dependency resolution reads. */
export interface DependencyLookup {
  serviceObject(key: string): Service | undefined;
  vip(key: string): string | undefined;
}

/**
 * Every (dependency, port) a component calls, in dependency then port order,
 * each port once; plus the dependencies that resolve to nothing.
 */
export function dependencyPorts(
  lookup: DependencyLookup,
  record: ComponentRecord,
): { ports: DependencyPort[]; problems: DependencyProblem[] } {
  const ports: DependencyPort[] = [];
  const problems: DependencyProblem[] = [];
  const seen = new Set<string>();
  for (const dependency of record.dependencies) {
    const { ref } = dependency;
    const serviceKey = `${ref.namespace}/${ref.name}`;
    const service = lookup.serviceObject(serviceKey);
    const vip = lookup.vip(serviceKey);
    if (service === undefined || vip === undefined) {
      problems.push({ dependency, serviceKey, problem: `Service ${serviceKey} not found` });
      continue;
    }
    const proxied = (service.spec?.ports ?? []).filter(isProxied);
    const chosen = ref.port === undefined ? proxied : proxied.filter((p) => p.port === ref.port);
    if (chosen.length === 0) {
      const problem =
        ref.port === undefined ? `Service ${serviceKey} has no TCP ports` : `Service ${serviceKey} has no TCP port ${ref.port}`;
      problems.push({ dependency, serviceKey, problem });
      continue;
    }
    for (const servicePort of chosen) {
      const id = `${serviceKey}:${servicePort.port}`;
      if (seen.has(id)) continue;
      seen.add(id);
      ports.push({ dependency, serviceKey, service, servicePort, protocol: portProtocol(servicePort), vip });
    }
  }
  return { ports, problems };
}

const INBOUND_TYPES = new Set(['net-inbound', 'net-inout']);
const OUTBOUND_TYPES = new Set(['net-outbound', 'net-inout']);

/**
 * The network plugin whose options shape the sidecar in one direction: the
 * first enabled, accepted plugin of a matching type, in the component's order.
 */
export function networkPlugin(
  record: ComponentRecord | undefined,
  direction: 'inbound' | 'outbound',
): Extract<PluginUse, { ok: true }> | undefined {
  const types = direction === 'inbound' ? INBOUND_TYPES : OUTBOUND_TYPES;
  const uses = [...(record?.plugins.values() ?? [])].sort((a, b) => a.index - b.index);
  return uses.find((u): u is Extract<PluginUse, { ok: true }> => u.ok && types.has(u.plugin.type));
}
