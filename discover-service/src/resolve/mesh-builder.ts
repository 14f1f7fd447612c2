import { parseTrafficPolicy } from '@meshplug/plugin-api';
import type {
  DnsRecord,
  InboundListener,
  MeshDocument,
  MeshEndpoint,
  OutboundCluster,
  Service,
  ServicePort,
} from '@meshplug/plugin-api';
import type { RouteRow } from '../state/mesh-view.js';
import type { ComponentRecord } from './component-record.js';
import { contentVersion } from './content-version.js';
import { dependencyPorts, networkPlugin, ownPorts, type DependencyLookup, type DependencyPort } from './component-ports.js';
import { routeEndpoints, usableEndpoints, type CandidateEndpoint } from './endpoint-selection.js';
import { groupOptions, serviceValues } from './plugin-options.js';
import { portName, proxyMode } from './port-protocol.js';
import type { ResolvedResolverOptions } from './resolver-options.js';

/** What building a mesh document reads. */
export interface MeshInputs extends DependencyLookup {
  readonly options: ResolvedResolverOptions;
  /** Every endpoint of one port of a Service, with conditions. */
  endpoints(serviceKey: string, port: ServicePort): readonly CandidateEndpoint[];
}

function outboundOptions(record: ComponentRecord, d: DependencyPort): Record<string, string> {
  const use = networkPlugin(record, 'outbound');
  if (use === undefined) return {};
  const own = serviceValues(use.entry.values?.services, record.namespace, d.dependency.ref, d.servicePort.port);
  return groupOptions(use.plugin, 'downstream-port', d.protocol, record.shared, own);
}

function meshEndpoint(e: CandidateEndpoint, weight: number): MeshEndpoint {
  return {
    address: e.address,
    port: e.port,
    ready: e.ready,
    serving: e.serving,
    terminating: e.terminating,
    ...(e.zone !== undefined ? { zone: e.zone } : {}),
    ...(e.nodeName !== undefined ? { nodeName: e.nodeName } : {}),
    ...(e.target !== undefined ? { target: e.target } : {}),
    weight,
  };
}

function dnsNames(d: DependencyPort, ownNamespace: string, clusterDomain: string): string[] {
  const { name, namespace } = d.dependency.ref;
  const names = [`${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.${clusterDomain}`];
  return (namespace === ownNamespace ? [name, ...names] : names).map((n) => n.toLowerCase());
}

/**
 * The sidecar document of `service`: an inbound listener per TCP port, an
 * outbound cluster per dependency port, the DNS table of the dependencies.
 * Throws API_ERR_OUTER_PORTS when the Service's ports clash with the outer range.
 */
export function buildMeshDocument(inputs: MeshInputs, service: Service, record: ComponentRecord | undefined): MeshDocument {
  const namespace = service.metadata.namespace ?? '';
  const { options } = inputs;
  const inboundUse = networkPlugin(record, 'inbound');
  const inbound: InboundListener[] = ownPorts(service, options.outerPortRange).map((p) => ({
    name: portName(p.servicePort),
    port: p.appPort,
    outerPort: p.outerPort,
    protocol: p.protocol,
    mode: proxyMode(p.protocol),
    options:
      inboundUse === undefined
        ? {}
        : groupOptions(inboundUse.plugin, 'component-port', p.protocol, record?.shared ?? {}, inboundUse.entry.values?.ports?.[String(p.appPort)]),
  }));
  const outbound: OutboundCluster[] = [];
  const records = new Map<string, DnsRecord>();
  for (const d of record === undefined ? [] : dependencyPorts(inputs, record).ports) {
    const opts = outboundOptions(record as ComponentRecord, d);
    const { weight, lbPolicy } = parseTrafficPolicy(opts).policy;
    const { name, namespace: depNs } = d.dependency.ref;
    outbound.push({
      name: `${d.serviceKey}:${d.servicePort.port}`,
      namespace: depNs,
      service: name,
      vip: d.vip,
      port: d.servicePort.port,
      ...(d.servicePort.name !== undefined && d.servicePort.name !== '' ? { portName: d.servicePort.name } : {}),
      protocol: d.protocol,
      mode: proxyMode(d.protocol),
      policy: lbPolicy,
      options: opts,
      endpoints: usableEndpoints(inputs.endpoints(d.serviceKey, d.servicePort)).map((e) => meshEndpoint(e, weight)),
    });
    let rec = records.get(d.serviceKey);
    if (rec === undefined) {
      rec = { names: dnsNames(d, namespace, options.clusterDomain), service: d.serviceKey, address: d.vip, ports: [] };
      records.set(d.serviceKey, rec);
    }
    rec.ports.push({ name: portName(d.servicePort), port: d.servicePort.port, protocol: d.protocol });
  }
  const cd = options.clusterDomain;
  const body: Omit<MeshDocument, 'version'> = {
    namespace,
    service: service.metadata.name,
    inbound,
    outbound,
    dns: {
      records: [...records.values()],
      searches: [`${namespace}.svc.${cd}`, `svc.${cd}`, cd],
      upstream: [...options.dnsUpstream],
      clusterDomain: cd,
      ttl: options.dnsTtl,
    },
  };
  return { version: contentVersion(body), ...body };
}

/** The routes table rows of one component: every dependency port with all its endpoints, or why there is none. */
export function buildRoutes(inputs: MeshInputs, record: ComponentRecord): RouteRow[] {
  const component = `${record.namespace}/${record.service}`;
  const { ports, problems } = dependencyPorts(inputs, record);
  const rows: RouteRow[] = ports.map((d) => {
    const options = outboundOptions(record, d);
    return {
      component,
      dependency: d.serviceKey,
      port: d.servicePort.port,
      protocol: d.protocol,
      vip: d.vip,
      policy: parseTrafficPolicy(options).policy.lbPolicy,
      options,
      endpoints: routeEndpoints(inputs.endpoints(d.serviceKey, d.servicePort)),
    };
  });
  for (const p of problems) {
    rows.push({
      component,
      dependency: p.serviceKey,
      port: p.dependency.ref.port ?? 0,
      protocol: '',
      vip: inputs.vip(p.serviceKey) ?? '',
      policy: '',
      endpoints: [],
      problem: p.problem,
    });
  }
  return rows;
}
