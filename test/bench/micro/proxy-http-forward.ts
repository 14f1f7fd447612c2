/**
 * Micro-benchmark of mesh-proxy's HTTP forwarding path in one process: a
 * keep-alive client, a MeshProxy outbound listener and an upstream, all on
 * loopback. Reports requests/s and the CPU per request of the whole process
 * (client, proxy and upstream together): compare runs before and after a
 * change on the same machine. Not a test; bounded in requests and time.
 *
 *   npx tsc -b mesh-proxy && node --import tsx test/bench/micro/proxy-http-forward.ts [--requests 20000] [--connections 8]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import type { MeshDocument } from '@meshplug/plugin-api';
import { MeshProxy } from '@meshplug/mesh-proxy';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '20000' }, connections: { type: 'string', default: '8' } } });
const total = Math.min(Math.max(Number(values.requests) || 20_000, 1000), 500_000);
const connections = Math.min(Math.max(Number(values.connections) || 8, 1), 64);
const DEADLINE_MS = 60_000;
const VIP = '127.77.99.1';
const PORT = 18080;

const body = Buffer.from('hello, world\n');
const upstream = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
  });
});
await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
const upstreamPort = (upstream.address() as AddressInfo).port;

const doc: MeshDocument = {
  version: 'micro-1',
  namespace: 'bench',
  service: 'micro',
  inbound: [],
  outbound: [
    {
      name: 'bench/up:18080', namespace: 'bench', service: 'up', vip: VIP, port: PORT, portName: 'http', protocol: 'http', mode: 'http',
      policy: 'round_robin', options: {},
      endpoints: [{ address: '127.0.0.1', port: upstreamPort, ready: true, serving: true, terminating: false, weight: 1 }],
    },
  ],
  dns: { records: [], searches: [], upstream: [], clusterDomain: 'cluster.local', ttl: 5 },
};
const discover = createServer((req, res) => {
  if (req.headers['if-none-match'] === `"${doc.version}"`) {
    setTimeout(() => res.writeHead(304).end(), 1000);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', etag: `"${doc.version}"` }).end(JSON.stringify(doc));
});
await new Promise<void>((r) => discover.listen(0, '127.0.0.1', r));
const proxy = new MeshProxy({
  configUrl: `http://127.0.0.1:${(discover.address() as AddressInfo).port}`,
  namespace: 'bench',
  service: 'micro',
  adminAddress: '127.0.0.1:0',
  waitSeconds: 1,
});
await proxy.start();
if (!(await proxy.whenApplied(doc.version))) throw new Error('mesh-proxy did not apply the document');

const pool = new Pool(`http://${VIP}:${PORT}`, { connections, pipelining: 1 });
async function load(count: number): Promise<number> {
  let sent = 0;
  let failed = 0;
  const deadline = performance.now() + DEADLINE_MS;
  const worker = async (): Promise<void> => {
    while (sent < count && performance.now() < deadline) {
      sent++;
      const res = await pool.request({ path: '/', method: 'GET' });
      await res.body.dump();
      if (res.statusCode !== 200) failed++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  if (failed > 0) throw new Error(`${failed} requests failed`);
  return (sent / (performance.now() - start)) * 1000;
}

await load(Math.min(2000, total));
const cpu = process.cpuUsage();
const rate = await load(total);
const used = process.cpuUsage(cpu);
console.table([
  {
    requests: total,
    connections,
    'req/s': Math.round(rate).toLocaleString('en-US'),
    'CPU µs/request (client + proxy + upstream)': ((used.user + used.system) / total).toFixed(1),
  },
]);
await pool.close();
await proxy.stop();
upstream.close();
discover.closeAllConnections();
discover.close();
