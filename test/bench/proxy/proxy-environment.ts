import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIDECAR_ENV } from '@meshplug/plugin-api';
import { request } from 'undici';
import type { ChildGroup } from '../lib/children.js';
import type { FakeDiscoverServer } from '../lib/fake-discover.js';
import { meshplugCommand, tsxScript } from '../lib/meshplug-command.js';
import { freePort, waitForHttp, waitForTcp } from '../lib/net.js';
import { waitForAnswer } from '../dns/dns-query.js';
import { haproxyCommand } from './haproxy.js';
import { calleeDocument, callerDocument, type MeshLayout } from './mesh-documents.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const START_TIMEOUT_MS = 30_000;

export type PathName = 'direct' | 'haproxy' | 'mesh-proxy';
export interface HostPort {
  host: string;
  port: number;
}

/** Everything the proxy benchmark drives, started and ready. */
export interface ProxyEnvironment {
  /** One-hop HTTP URLs. */
  http: Record<PathName, string>;
  /** Two hops: HAProxy -> HAProxy, and mesh-proxy outbound -> mesh-proxy inbound. */
  twoHops: { haproxy: string; 'mesh-proxy': string };
  tcp: Record<PathName, HostPort>;
  /** meshProxy: the caller's sidecar, one process serving its outbound traffic and its DNS, as injected. */
  pids: { haproxy: number; meshProxy: number; meshProxyInbound: number };
}

/**
 * Starts the shared upstream, two HAProxy instances (one hop, and a second hop in front of it), and
 * the caller's and the callee's sidecars as the injector runs them (`meshplug proxy`, the caller's
 * with `--dns-listen`, both with the injector's environment: NODE_OPTIONS, malloc settings) following
 * a fake discover-service, and checks every path answers before anything is measured.
 */
export async function startProxyEnvironment(children: ChildGroup, discover: FakeDiscoverServer): Promise<ProxyEnvironment> {
  const upstream = children.start(tsxScript('upstream', join(HERE, 'upstream-server.ts')));
  const ready = await upstream.waitForLine(/^READY /, START_TIMEOUT_MS);
  const ports = JSON.parse(ready.slice('READY '.length)) as { http: number; tcp: number };

  const haproxyPorts = { httpPort: await freePort(), tcpPort: await freePort() };
  const haproxy = children.start(
    haproxyCommand({ ...haproxyPorts, upstreamHttpPort: ports.http, upstreamTcpPort: ports.tcp }),
  );
  const secondHop = { httpPort: await freePort(), tcpPort: await freePort() };
  children.start(
    haproxyCommand(
      { ...secondHop, upstreamHttpPort: haproxyPorts.httpPort, upstreamTcpPort: haproxyPorts.tcpPort },
      'haproxy second hop',
    ),
  );

  const layout: MeshLayout = {
    upstreamHttpPort: ports.http,
    upstreamTcpPort: ports.tcp,
    httpVip: '127.77.0.1',
    httpVipPort: await freePort('127.77.0.1'),
    tcpVip: '127.77.0.2',
    tcpVipPort: await freePort('127.77.0.2'),
    chainVip: '127.77.0.3',
    chainVipPort: await freePort('127.77.0.3'),
    outerPort: await freePort(),
  };
  discover.set(callerDocument(layout));
  discover.set(calleeDocument(layout));
  const discoverUrl = await discover.listen();
  const admin = { caller: await freePort(), callee: await freePort() };
  const proxy = (service: 'caller' | 'callee'): string[] => [
    '--config-url', discoverUrl,
    '--namespace', 'bench',
    '--service', service,
    '--proxy-id', `bench-${service}`,
    '--admin', `127.0.0.1:${admin[service]}`,
    '--bind', '127.0.0.1',
    '--log-level', 'warn',
  ];
  const sidecarEnv = Object.fromEntries(SIDECAR_ENV.map((e) => [e.name, e.value ?? '']));
  const dnsAt = { host: '127.0.0.1', port: await freePort() };
  const caller = children.start(
    meshplugCommand('mesh-proxy caller', 'proxy', [...proxy('caller'), '--dns-listen', `${dnsAt.host}:${dnsAt.port}`], sidecarEnv),
  );
  const callee = children.start(meshplugCommand('mesh-proxy callee', 'proxy', proxy('callee'), sidecarEnv));

  await children.guard(Promise.all([
    waitForTcp('127.0.0.1', haproxyPorts.httpPort, START_TIMEOUT_MS),
    waitForTcp('127.0.0.1', secondHop.httpPort, START_TIMEOUT_MS),
    waitForHttp(`http://127.0.0.1:${admin.caller}/ready`, START_TIMEOUT_MS),
    waitForHttp(`http://127.0.0.1:${admin.callee}/ready`, START_TIMEOUT_MS),
    waitForAnswer(dnsAt, 'upstream.bench.svc.cluster.local', layout.httpVip, START_TIMEOUT_MS),
  ]));

  const env: ProxyEnvironment = {
    http: {
      direct: `http://127.0.0.1:${ports.http}/`,
      haproxy: `http://127.0.0.1:${haproxyPorts.httpPort}/`,
      'mesh-proxy': `http://${layout.httpVip}:${layout.httpVipPort}/`,
    },
    twoHops: {
      haproxy: `http://127.0.0.1:${secondHop.httpPort}/`,
      'mesh-proxy': `http://${layout.chainVip}:${layout.chainVipPort}/`,
    },
    tcp: {
      direct: { host: '127.0.0.1', port: ports.tcp },
      haproxy: { host: '127.0.0.1', port: haproxyPorts.tcpPort },
      'mesh-proxy': { host: layout.tcpVip, port: layout.tcpVipPort },
    },
    pids: { haproxy: haproxy.pid, meshProxy: caller.pid, meshProxyInbound: callee.pid },
  };
  for (const url of [...Object.values(env.http), ...Object.values(env.twoHops)]) await expectHello(url);
  return env;
}

/** Every path must really reach the upstream: a proxy answering errors fast would look great. */
async function expectHello(url: string): Promise<void> {
  const res = await request(url, { headersTimeout: 5000, bodyTimeout: 5000 });
  const body = await res.body.text();
  if (res.statusCode !== 200 || body !== 'hello, world\n') {
    throw new Error(`${url} answered ${res.statusCode} ${JSON.stringify(body.slice(0, 200))}, not the upstream's hello`);
  }
}
