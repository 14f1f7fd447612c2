import { isIP } from 'node:net';
import { DEFAULT_OUTER_PORT_RANGE, type PortRange } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';

/** How the resolver builds documents. Every field is optional; defaults in {@link RESOLVER_DEFAULTS}. */
export interface ResolverOptions {
  /** Cluster DNS domain used in mesh names and search lists. Default `cluster.local`. */
  clusterDomain?: string;
  /** Inclusive range of generated outer (inbound) ports. Default 65301-65400 (Rainbond's). */
  outerPortRange?: PortRange;
  /** Upstream resolvers (`IP` or `IP:PORT`) put in each DNS table; empty: dns-shim's own `--upstream`. */
  dnsUpstream?: string[];
  /** TTL in seconds of mesh DNS answers. Default 5. */
  dnsTtl?: number;
  /** Read legacy core/v1 Endpoints for Services without EndpointSlices. Default false. */
  legacyEndpoints?: boolean;
}

export type ResolvedResolverOptions = Readonly<{
  clusterDomain: string;
  outerPortRange: Readonly<PortRange>;
  dnsUpstream: readonly string[];
  dnsTtl: number;
  legacyEndpoints: boolean;
}>;

export const RESOLVER_DEFAULTS: ResolvedResolverOptions = Object.freeze({
  clusterDomain: 'cluster.local',
  outerPortRange: DEFAULT_OUTER_PORT_RANGE,
  dnsUpstream: Object.freeze([]),
  dnsTtl: 5,
  legacyEndpoints: false,
});

const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

function upstreamProblem(entry: string): string | undefined {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(entry) ?? /^([^:]+):(\d+)$/.exec(entry);
  const [host, port] = m ? [m[1] ?? '', Number(m[2])] : [entry, 53];
  if (isIP(host) === 0) return `dnsUpstream entry '${entry}' must be IP or IP:PORT`;
  if (!(port >= 1 && port <= 65535)) return `dnsUpstream entry '${entry}' has an invalid port`;
  return undefined;
}

/** Applies defaults and checks every field once; throws DISC_ERR_INVALID_RESOLVER_OPTIONS listing every problem. */
export function resolveResolverOptions(options: ResolverOptions = {}): ResolvedResolverOptions {
  const o = {
    clusterDomain: (options.clusterDomain ?? RESOLVER_DEFAULTS.clusterDomain).replace(/\.$/, '').toLowerCase(),
    outerPortRange: Object.freeze({ ...(options.outerPortRange ?? RESOLVER_DEFAULTS.outerPortRange) }),
    dnsUpstream: Object.freeze([...(options.dnsUpstream ?? RESOLVER_DEFAULTS.dnsUpstream)]),
    dnsTtl: options.dnsTtl ?? RESOLVER_DEFAULTS.dnsTtl,
    legacyEndpoints: options.legacyEndpoints ?? RESOLVER_DEFAULTS.legacyEndpoints,
  };
  const problems: string[] = [];
  if (!DOMAIN.test(o.clusterDomain)) problems.push(`clusterDomain '${o.clusterDomain}' is not a DNS name`);
  const { min, max } = o.outerPortRange;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 65535 || min > max) {
    problems.push(`outerPortRange ${min}-${max} must be ports with min <= max`);
  }
  for (const entry of o.dnsUpstream) {
    const p = upstreamProblem(entry);
    if (p !== undefined) problems.push(p);
  }
  if (!Number.isInteger(o.dnsTtl) || o.dnsTtl < 0 || o.dnsTtl > 86400) problems.push('dnsTtl must be 0..86400 seconds');
  if (typeof o.legacyEndpoints !== 'boolean') problems.push('legacyEndpoints must be a boolean');
  if (problems.length > 0) throw new DiscoverErrors.DISC_ERR_INVALID_RESOLVER_OPTIONS(problems.join('; '));
  return Object.freeze(o);
}
