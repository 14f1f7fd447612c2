import type { ProxyProtocol, ServicePort } from '@meshplug/plugin-api';

/** Protocols meshplug names, as Istio's port-name prefixes; longest first so `grpc-web` beats `grpc`. */
const KNOWN_PROTOCOLS = ['grpc-web', 'http2', 'https', 'mongo', 'mysql', 'redis', 'http', 'grpc', 'h2c', 'tcp', 'tls'];

/** `appProtocol` spellings that mean one of the protocols above. */
const APP_PROTOCOL_ALIASES: Readonly<Record<string, string>> = {
  http1: 'http',
  'kubernetes.io/http': 'http',
  'kubernetes.io/ws': 'http',
  'kubernetes.io/h2c': 'h2c',
  'kubernetes.io/wss': 'tls',
};

/**
 * The protocol of a Service port: `appProtocol` when set (`http`, `http1` ->
 * http; `kubernetes.io/h2c` -> h2c; other known names kept), else the port
 * name's prefix (`http`, `http-web`, `grpc`, `tcp-db`, as Istio reads it),
 * else tcp. Non-TCP ports (UDP, SCTP) keep their transport name.
 */
export function portProtocol(port: ServicePort): string {
  const transport = (port.protocol ?? 'TCP').toLowerCase();
  if (transport !== 'tcp') return transport;
  const app = port.appProtocol?.trim().toLowerCase();
  if (app !== undefined && app !== '') {
    return APP_PROTOCOL_ALIASES[app] ?? (KNOWN_PROTOCOLS.includes(app) ? app : 'tcp');
  }
  const name = (port.name ?? '').toLowerCase();
  return KNOWN_PROTOCOLS.find((p) => name === p || name.startsWith(`${p}-`)) ?? 'tcp';
}

/** Only plain HTTP/1 is balanced per request; everything else per connection. */
export function proxyMode(protocol: string): ProxyProtocol {
  return protocol === 'http' ? 'http' : 'tcp';
}

/** The sidecar proxies TCP ports only; UDP and SCTP ports are left alone. */
export function isProxied(port: ServicePort): boolean {
  return (port.protocol ?? 'TCP').toUpperCase() === 'TCP';
}

/**
 * The app port behind a Service port: a numeric targetPort, else the Service
 * port's own number (a named targetPort names a container port, which the
 * component publishes under the Service port's number by convention).
 */
export function appPort(port: ServicePort): number {
  const target = port.targetPort;
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  return port.port;
}

/** Port name as listeners show it: the Service port's name, or `port-<n>`. */
export function portName(port: ServicePort): string {
  return port.name !== undefined && port.name !== '' ? port.name : `port-${port.port}`;
}
