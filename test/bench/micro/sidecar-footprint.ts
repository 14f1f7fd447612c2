/**
 * Micro-benchmark of the sidecar's footprint pieces:
 *   - RSS of a fresh process holding the sidecar's module graph (mesh-proxy's CLI and dns-shim, from
 *     dist/ as `meshplug proxy --dns-listen` loads them), with and without undici, which the config
 *     follower's DiscoverClient used to pull in; each case in its own child process, median of --runs;
 *   - DiscoverClient's transport, the one thing that changed on its path: CPU per GET (best of
 *     --rounds) and the RSS a process gains over --requests GETs, node:http (now) against undici (before).
 * Not a test; bounded in processes, requests and time.
 *
 *   npx tsc -b mesh-proxy && node --import tsx test/bench/micro/sidecar-footprint.ts [--runs 3] [--rounds 3] [--requests 2000]
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Agent } from 'undici';
import { NodeHttpTransport, SIDECAR_ENV, UndiciTransport, type DiscoverTransport } from '@meshplug/plugin-api';
import { REPO_ROOT } from '../lib/meshplug-command.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, rounds: { type: 'string', default: '3' }, requests: { type: 'string', default: '2000' } },
});
const clamp = (v: string | undefined, lo: number, hi: number, d: number): number => Math.min(Math.max(Number(v) || d, lo), hi);
const runs = clamp(values.runs, 1, 9, 3);
const rounds = clamp(values.rounds, 1, 10, 3);
const requests = clamp(values.requests, 100, 20_000, 2000);

async function server(): Promise<{ url: string; close(): void }> {
  const srv = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { etag: '"v1"', 'content-type': 'application/json' });
    res.end('{"version":"v1","listeners":[]}');
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, close: () => (srv.closeAllConnections(), srv.close()) };
}

async function gets(transport: DiscoverTransport, url: string, n: number): Promise<void> {
  const target = new URL(`${url}/v1/mesh/bench/caller`);
  for (let i = 0; i < n; i++) {
    const r = await transport.send({ method: 'GET', url: target, headers: { 'if-none-match': '"v0"' }, signal: new AbortController().signal });
    if (r.status !== 200) throw new Error(`status ${r.status}`);
  }
}

/** ES module source of a child process (plain node, from dist/): does `body`, settles, prints its RSS in MiB. */
const CHILD_PRELUDE = `
import { readFileSync } from 'node:fs';
const rss = () => Number(/^VmRSS:\\s+(\\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
`;
const CHILD_END = `await new Promise((r) => setTimeout(r, 300)); process.stdout.write(rss() + '\\n'); process.exit(0);`;
const TRANSPORT_CHILD = (make: string): string => `
import { createServer } from 'node:http';
import { NodeHttpTransport, UndiciTransport } from '@meshplug/plugin-api';
const srv = createServer((req, res) => { req.resume(); res.writeHead(200, { etag: '"v1"' }); res.end('{"version":"v1"}'); });
await new Promise((r) => srv.listen(0, '127.0.0.1', r));
const transport = ${make};
const url = new URL('http://127.0.0.1:' + srv.address().port + '/v1/mesh/bench/caller');
for (let i = 0; i < ${requests}; i++) await transport.send({ method: 'GET', url, headers: {}, signal: new AbortController().signal });
srv.closeAllConnections(); srv.close();
`;
const CASES: [string, string][] = [
  ['node, nothing imported', ''],
  ['sidecar module graph (now)', "await import('@meshplug/mesh-proxy/cli'); await import('@meshplug/dns-shim');"],
  ['sidecar module graph + undici (before)', "await import('@meshplug/mesh-proxy/cli'); await import('@meshplug/dns-shim'); await import('undici');"],
  [`${requests} GETs, node:http transport (now)`, TRANSPORT_CHILD('new NodeHttpTransport()')],
  [`${requests} GETs, undici transport (before)`, TRANSPORT_CHILD("new UndiciTransport(new (await import('undici')).Agent())")],
];

const sidecarEnv = Object.fromEntries(SIDECAR_ENV.map((e) => [e.name, e.value ?? '']));
function childRss(body: string): string {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD_PRELUDE + body + CHILD_END], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...sidecarEnv },
      encoding: 'utf8',
      timeout: 60_000,
    });
    samples.push(Number(out.trim()));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!.toFixed(1);
}

const makeTransport = (kind: string): DiscoverTransport => (kind === 'undici' ? new UndiciTransport(new Agent()) : new NodeHttpTransport());

console.table(CASES.map(([name, body]) => ({ case: name, 'RSS MiB (median)': childRss(body) })));

const s = await server();
const cpu: Record<string, string>[] = [];
for (const kind of ['node:http', 'undici']) {
  const transport = makeTransport(kind);
  await gets(transport, s.url, 200);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const start = process.cpuUsage();
    await gets(transport, s.url, requests);
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / requests);
  }
  cpu.push({ transport: kind, 'CPU µs per GET (client + server, best)': best.toFixed(1) });
}
s.close();
console.table(cpu);
