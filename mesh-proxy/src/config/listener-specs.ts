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

/** The app behind an inbound listener is always on loopback in the same pod. */
const APP_HOST = '127.0.0.1';

/**
 * Turns a mesh document into the listeners it asks for: inbound
 * `bind:<outerPort>` -> `127.0.0.1:<port>`, outbound `<vip>:<port>` -> endpoints.
 */
export function listenerSpecs(doc: MeshDocument, bindAddress: string): ListenerSpec[] {
  const out: ListenerSpec[] = [];
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
        endpoints: [{ address: APP_HOST, port: l.port, ready: true, serving: true, terminating: false, weight: 1 }],
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
