import type { LbPolicy, MeshDocument, MeshEndpoint, ProxyProtocol } from '@meshplug/plugin-api';

/** What one upstream cluster balances over, and how. */
export interface ClusterSpec {
  /** `inbound|<port>` or the outbound cluster name `namespace/service:port`. */
  name: string;
  policy: LbPolicy;
  /** Per-port options (Rainbond keys), parsed by parseTrafficPolicy. */
  options: Readonly<Record<string, string>>;
  endpoints: readonly MeshEndpoint[];
}

/** One listener the proxy must have open. */
export interface ListenerSpec {
  /** Stable identity across versions: `inbound|host:port` or `outbound|vip:port`. */
  key: string;
  direction: 'inbound' | 'outbound';
  host: string;
  port: number;
  mode: ProxyProtocol;
  cluster: ClusterSpec;
}

/**
 * Where the app behind an inbound listener is: on the pod's loopback when the
 * sidecar binds every address (a real pod), else on the address it was given
 * with `--bind` (pods sharing one host each own one address, app and sidecar alike).
 */
export function appHost(bindAddress: string): string {
  return bindAddress === '0.0.0.0' || bindAddress === '::' ? '127.0.0.1' : bindAddress;
}

/**
 * Turns a mesh document into the listeners it asks for: inbound
 * `bind:<outerPort>` -> `<app host>:<port>`, outbound `<vip>:<port>` -> endpoints.
 */
export function listenerSpecs(doc: MeshDocument, bindAddress: string): ListenerSpec[] {
  const out: ListenerSpec[] = [];
  const app = appHost(bindAddress);
  for (const l of doc.inbound) {
    out.push({
      key: `inbound|${bindAddress}:${l.outerPort}`,
      direction: 'inbound',
      host: bindAddress,
      port: l.outerPort,
      mode: l.mode,
      cluster: {
        name: `inbound|${l.port}`,
        policy: 'round_robin',
        options: l.options,
        endpoints: [{ address: app, port: l.port, ready: true, serving: true, terminating: false, weight: 1 }],
      },
    });
  }
  for (const c of doc.outbound) {
    out.push({
      key: `outbound|${c.vip}:${c.port}`,
      direction: 'outbound',
      host: c.vip,
      port: c.port,
      mode: c.mode,
      cluster: { name: c.name, policy: c.policy, options: c.options, endpoints: c.endpoints },
    });
  }
  return out;
}
