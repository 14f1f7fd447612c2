import type { PodSpec, PodTemplate } from './pod-types.js';
import { TOKEN_VOLUME } from './service-account-token.js';

/** Annotation holding what injection changed, so it can be undone exactly (idempotency, reversal). */
export const ANNOTATION_INJECTION = 'mesh.io/injection';
/** Annotation listing the injected plugins, for people and `kubectl get -o`. */
export const ANNOTATION_INJECTED_PLUGINS = 'mesh.io/injected-plugins';
export const STATE_VOLUME = 'meshplug-state';
export const UNPRIVILEGED_PORT_SYSCTL = 'net.ipv4.ip_unprivileged_port_start';

export interface InjectionRecord {
  containers: string[];
  initContainers: string[];
  /** Port names moved from an app container to a sidecar's outer port. */
  movedPorts: { container: string; port: number; name: string }[];
  /** The pod's DNS settings before injection, when injection replaced them. */
  dns?: { dnsPolicy?: string; dnsConfig?: PodSpec['dnsConfig'] };
  sysctl: boolean;
  volume: boolean;
  /** The projected ServiceAccount token volume was added (inject option `accessControl`). */
  tokenVolume?: boolean;
}

export function readRecord(template: PodTemplate): InjectionRecord | undefined {
  const raw = template.metadata?.annotations?.[ANNOTATION_INJECTION];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as InjectionRecord;
  } catch {
    return undefined;
  }
}

/**
 * Undoes a previous injection using its record: removes the added containers,
 * volume, sysctl and annotations, gives moved port names back and restores DNS.
 * A pod never injected is returned unchanged (as a copy).
 */
export function uninjectPod(template: PodTemplate): PodTemplate {
  const pod = structuredClone(template);
  const record = readRecord(pod);
  if (record === undefined) return pod;
  const spec = pod.spec;
  spec.containers = spec.containers.filter((c) => !record.containers.includes(c.name));
  if (spec.initContainers) {
    spec.initContainers = spec.initContainers.filter((c) => !record.initContainers.includes(c.name));
    if (spec.initContainers.length === 0) delete spec.initContainers;
  }
  for (const moved of record.movedPorts) {
    const port = spec.containers
      .find((c) => c.name === moved.container)
      ?.ports?.find((p) => p.containerPort === moved.port);
    if (port) port.name = moved.name;
  }
  if (record.dns) {
    delete spec.dnsPolicy;
    delete spec.dnsConfig;
    if (record.dns.dnsPolicy !== undefined) spec.dnsPolicy = record.dns.dnsPolicy;
    if (record.dns.dnsConfig !== undefined) spec.dnsConfig = record.dns.dnsConfig;
  }
  if (record.sysctl && spec.securityContext?.sysctls) {
    spec.securityContext.sysctls = spec.securityContext.sysctls.filter((s) => s.name !== UNPRIVILEGED_PORT_SYSCTL);
    if (spec.securityContext.sysctls.length === 0) delete spec.securityContext.sysctls;
    if (Object.keys(spec.securityContext).length === 0) delete spec.securityContext;
  }
  if ((record.volume || record.tokenVolume) && spec.volumes) {
    const added = [...(record.volume ? [STATE_VOLUME] : []), ...(record.tokenVolume ? [TOKEN_VOLUME] : [])];
    spec.volumes = spec.volumes.filter((v) => !added.includes(v.name));
    if (spec.volumes.length === 0) delete spec.volumes;
  }
  const annotations = pod.metadata?.annotations;
  if (annotations) {
    delete annotations[ANNOTATION_INJECTION];
    delete annotations[ANNOTATION_INJECTED_PLUGINS];
    if (Object.keys(annotations).length === 0) delete pod.metadata!.annotations;
  }
  return pod;
}
