import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildSpec } from '../lib/children.js';

export interface HaproxyOptions {
  /** Where HAProxy listens: HTTP and TCP frontends on loopback. */
  httpPort: number;
  tcpPort: number;
  /** The shared upstream (or, for the second hop of a chain, the first HAProxy). */
  upstreamHttpPort: number;
  upstreamTcpPort: number;
}

/**
 * HAProxy, the anchor: one thread (a sidecar's budget), HTTP mode with keep-alive and connection reuse
 * to the server and X-Forwarded-For added (mesh-proxy adds it too), and a TCP mode frontend.
 */
export function haproxyConfig(o: HaproxyOptions): string {
  return `global
  nbthread 1
  maxconn 4096

defaults
  timeout connect 5s
  timeout client 120s
  timeout server 120s

frontend http_in
  mode http
  option http-keep-alive
  option forwardfor
  bind 127.0.0.1:${o.httpPort}
  default_backend http_upstream

backend http_upstream
  mode http
  http-reuse always
  server upstream 127.0.0.1:${o.upstreamHttpPort}

frontend tcp_in
  mode tcp
  bind 127.0.0.1:${o.tcpPort}
  default_backend tcp_upstream

backend tcp_upstream
  mode tcp
  server upstream 127.0.0.1:${o.upstreamTcpPort}
`;
}

/** `haproxy -db -f <generated config>` (foreground). */
export function haproxyCommand(o: HaproxyOptions, name = 'haproxy'): ChildSpec {
  const file = join(mkdtempSync(join(tmpdir(), 'meshplug-haproxy-')), 'haproxy.cfg');
  writeFileSync(file, haproxyConfig(o));
  return { name, command: 'haproxy', args: ['-db', '-f', file] };
}
