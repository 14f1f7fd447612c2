import { PluginApiErrors } from '../errors/catalogue.js';

/** How pods are injected. Validated once by `resolveInjectOptions`, then frozen. */
export interface InjectOptions {
  /**
   * Address sidecars reach discover-service at without DNS (dns-shim has no table before it):
   * the discover Service's ClusterIP, or empty to use the node's IP (`XDS_HOST_IP` from
   * `status.hostIP`, Rainbond's way, for a discover-service on the host network).
   */
  discoverHost: string;
  /** discover-service port. */
  discoverPort: number;
  /** Outer ports are taken from this range (inclusive); Rainbond used 65301-65400. */
  outerPortRange: { min: number; max: number };
  /** mesh-proxy admin port on 127.0.0.1; an app port equal to it is refused. */
  adminPort: number;
  /** Port of the pod DNS server's own `/stats` and `/ready` on 127.0.0.1; an app port equal to it is refused. */
  dnsMetricsPort: number;
  /** The cluster DNS the pod DNS server forwards to, `IP:PORT` (kube-dns ClusterIP). */
  upstreamDns: string;
  clusterDomain: string;
  /** Add net plugins as native sidecars (init containers with `restartPolicy: Always`, Kubernetes >= 1.29). */
  nativeSidecar: boolean;
  /** Where sidecars keep their last applied config (a memory emptyDir mounted in every plugin container). */
  stateDir: string;
  /**
   * discover-service checks tokens (`meshplug serve --auth tokenreview`): mount a projected
   * ServiceAccount token (audience `meshplug`) into every plugin container and set `MESHPLUG_TOKEN_FILE`.
   */
  accessControl: boolean;
}

export const DEFAULT_INJECT_OPTIONS: Readonly<InjectOptions> = Object.freeze({
  discoverHost: '',
  discoverPort: 6100,
  outerPortRange: Object.freeze({ min: 65301, max: 65400 }),
  adminPort: 15000,
  dnsMetricsPort: 15053,
  upstreamDns: '10.96.0.10:53',
  clusterDomain: 'cluster.local',
  nativeSidecar: false,
  stateDir: '/var/run/meshplug',
  accessControl: false,
});

function isPort(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** Defaults merged under `given`, checked once, frozen. */
export function resolveInjectOptions(given: Partial<InjectOptions> = {}): Readonly<InjectOptions> {
  const o: InjectOptions = { ...DEFAULT_INJECT_OPTIONS, ...given };
  const bad = (field: string, why: string): never => {
    throw new PluginApiErrors.API_ERR_INVALID_OPTION(`inject option ${field}: ${why}`);
  };
  if (!isPort(o.discoverPort)) bad('discoverPort', `${String(o.discoverPort)} is not a port number`);
  if (!isPort(o.adminPort)) bad('adminPort', `${String(o.adminPort)} is not a port number`);
  if (!isPort(o.dnsMetricsPort)) bad('dnsMetricsPort', `${String(o.dnsMetricsPort)} is not a port number`);
  const { min, max } = o.outerPortRange;
  if (!isPort(min) || !isPort(max) || min > max) bad('outerPortRange', `${min}-${max} is not a port range`);
  if (!/^[^\s:]+:\d{1,5}$/.test(o.upstreamDns)) bad('upstreamDns', `"${o.upstreamDns}" is not IP:PORT`);
  if (!o.stateDir.startsWith('/')) bad('stateDir', `"${o.stateDir}" must be an absolute path`);
  if (typeof o.accessControl !== 'boolean') bad('accessControl', 'must be a boolean');
  return Object.freeze({ ...o, outerPortRange: Object.freeze({ min, max }) });
}
