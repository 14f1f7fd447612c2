import type { InboundListener, LbPolicy, MeshDocument, MeshEndpoint, ProxyProtocol } from '@meshplug/plugin-api';
import type { InboundPort } from '../options/proxy-options.js';

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
export function listenerSpecs(doc: MeshDocument, bindAddress: string, inbound?: readonly InboundPort[]): ListenerSpec[] {
  const out: ListenerSpec[] = [];
  const app = appHost(bindAddress);
  for (const l of inbound === undefined ? doc.inbound : podInbound(doc.inbound, inbound)) {
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

/**
 * The pod's own inbound ports (from the injector), each with the options and
 * protocol of the document's inbound entry of the same name, else the same app
 * port; a port the document does not know is forwarded as TCP with defaults.
 */
function podInbound(fromDoc: readonly InboundListener[], pod: readonly InboundPort[]): InboundListener[] {
  return pod.map((p) => {
    const match = fromDoc.find((l) => l.name === p.name) ?? fromDoc.find((l) => l.port === p.port);
    return {
      name: p.name,
      port: p.port,
      outerPort: p.outerPort,
      protocol: match?.protocol ?? 'tcp',
      mode: match?.mode ?? 'tcp',
      options: match?.options ?? {},
    };
  });
}
