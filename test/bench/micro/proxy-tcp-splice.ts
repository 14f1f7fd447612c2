/**
 * Micro-benchmark of mesh-proxy's TCP splice (TcpForwarder): closed-loop ping-pong over N connections
 * through one hop to an echo server, laid out like `npm run bench -- proxy` (load generator, echo
 * server and proxy in three processes), so the proxy's CPU per round trip decides the rate on a
 * loaded machine just as there. The MeshProxy runs in this process (profile it with
 * `node --cpu-prof`); `--via` also measures HAProxy in tcp mode (one thread) or no proxy, rounds
 * interleaved, for a side-by-side ratio. Prints round trips/s and the proxy's CPU µs per round trip.
 * Not a test; bounded in rounds and time.
 *
 *   npx tsc -b mesh-proxy && node --import tsx test/bench/micro/proxy-tcp-splice.ts \
 *     [--via mesh-proxy,haproxy] [--seconds 5] [--rounds 2] [--connections 32]
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { MeshDocument } from '@meshplug/plugin-api';
import { MeshProxy } from '@meshplug/mesh-proxy';
import { ChildGroup, startChild } from '../lib/children.js';
import { FakeDiscoverServer } from '../lib/fake-discover.js';
import { tsxScript } from '../lib/meshplug-command.js';
import { freePort, waitForTcp } from '../lib/net.js';
import { readCpuSeconds } from '../lib/process-sampler.js';
import { haproxyCommand } from '../proxy/haproxy.js';
import { runPingPong } from '../proxy/tcp-ping-pong.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const VIP = '127.77.99.2';
const START_TIMEOUT_MS = 30_000;
type Via = 'mesh-proxy' | 'haproxy' | 'direct';

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'main' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    via: { type: 'string', default: 'mesh-proxy' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
  },
});
const clamp = (v: string | undefined, fallback: number, min: number, max: number): number =>
  Math.min(Math.max(Number(v) || fallback, min), max);
const seconds = clamp(values.seconds, 5, 1, 30);
const rounds = clamp(values.rounds, 2, 1, 10);
const connections = clamp(values.connections, 32, 1, 256);

if (values.role === 'client') {
  // The load generator's own process: prints its result as one JSON line.
  const result = await runPingPong({ host: values.host ?? '127.0.0.1', port: Number(values.port), connections, durationSeconds: seconds });
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

const vias = (values.via ?? 'mesh-proxy').split(',').map((v) => {
  if (v !== 'mesh-proxy' && v !== 'haproxy' && v !== 'direct') throw new Error(`--via: unknown ${v}`);
  return v as Via;
});
const children = new ChildGroup();
try {
  const upstream = children.start(tsxScript('upstream', join(HERE, '..', 'proxy', 'upstream-server.ts')));
  const ready = await upstream.waitForLine(/^READY /, START_TIMEOUT_MS);
  const echoPort = (JSON.parse(ready.slice('READY '.length)) as { tcp: number }).tcp;

  const vipPort = await freePort(VIP);
  const doc: MeshDocument = {
    version: 'micro-tcp-1',
    namespace: 'bench',
    service: 'micro',
    inbound: [],
    outbound: [
      {
        name: `bench/echo:${vipPort}`, namespace: 'bench', service: 'echo', vip: VIP, port: vipPort, portName: 'tcp', protocol: 'tcp', mode: 'tcp',
        policy: 'round_robin', options: {},
        endpoints: [{ address: '127.0.0.1', port: echoPort, ready: true, serving: true, terminating: false, weight: 1 }],
      },
    ],
    dns: { records: [], searches: [], upstream: [], clusterDomain: 'cluster.local', ttl: 5 },
  };
  const discover = new FakeDiscoverServer();
  discover.set(doc);
  const proxy = new MeshProxy({ configUrl: await discover.listen(), namespace: 'bench', service: 'micro', adminAddress: '127.0.0.1:0', waitSeconds: 1 });
  await proxy.start();
  if (!(await proxy.whenApplied(doc.version))) throw new Error('mesh-proxy did not apply the document');

  const haproxyPort = await freePort();
  const haproxy = vias.includes('haproxy')
    ? // Its HTTP frontend is unused here.
      children.start(haproxyCommand({ httpPort: await freePort(), tcpPort: haproxyPort, upstreamHttpPort: 1, upstreamTcpPort: echoPort }))
    : undefined;
  if (haproxy !== undefined) await children.guard(waitForTcp('127.0.0.1', haproxyPort, START_TIMEOUT_MS));

  const target: Record<Via, { host: string; port: number; cpuSeconds: () => number }> = {
    'mesh-proxy': { host: VIP, port: vipPort, cpuSeconds: () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; } },
    haproxy: { host: '127.0.0.1', port: haproxyPort, cpuSeconds: () => (haproxy === undefined ? 0 : readCpuSeconds(haproxy.pid)) },
    direct: { host: '127.0.0.1', port: echoPort, cpuSeconds: () => 0 },
  };
  const rows: Record<string, string | number>[] = [];
  const rates = new Map<Via, number[]>();
  for (let round = 1; round <= rounds; round++) {
    for (const via of vias) {
      const t = target[via];
      // Not in the group: guard() only watches the long-lived processes.
      const client = startChild(
        tsxScript('client', SELF, ['--role', 'client', '--host', t.host, '--port', String(t.port), '--seconds', String(seconds), '--connections', String(connections)]),
      );
      const cpuBefore = t.cpuSeconds();
      const line = await children.guard(client.waitForLine(/^RESULT /, START_TIMEOUT_MS + seconds * 1000));
      const cpu = t.cpuSeconds() - cpuBefore;
      const result = JSON.parse(line.slice('RESULT '.length)) as { roundTrips: number; roundTripsPerSecond: number; errors: number };
      await client.stop();
      if (result.errors > 0 || result.roundTrips === 0) throw new Error(`${via}: ${result.errors} errors, ${result.roundTrips} round trips`);
      rates.set(via, [...(rates.get(via) ?? []), result.roundTripsPerSecond]);
      rows.push({
        round,
        via,
        'round trips/s': Math.round(result.roundTripsPerSecond),
        'proxy CPU µs/round trip': via === 'direct' ? '-' : ((cpu * 1e6) / result.roundTrips).toFixed(1),
      });
    }
  }
  console.table(rows);
  const median = (via: Via): number | undefined => {
    const sorted = [...(rates.get(via) ?? [])].sort((a, b) => a - b);
    return sorted.length === 0 ? undefined : ((sorted[(sorted.length - 1) >> 1] ?? 0) + (sorted[sorted.length >> 1] ?? 0)) / 2;
  };
  const anchor = median('haproxy');
  const ours = median('mesh-proxy');
  if (anchor !== undefined && ours !== undefined) console.log(`mesh-proxy / haproxy round trips/s (medians of ${rounds}): ${(ours / anchor).toFixed(2)}x`);
  await proxy.stop();
  await discover.close();
} finally {
  await children.stopAll();
}
