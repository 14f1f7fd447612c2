/**
 * Micro-benchmark of the config version (canonical JSON + SHA-256) of a mesh document like those of
 * `npm run bench -- discover` (3 dependencies, 5 endpoints each): the previous canonical JSON (a
 * JSON.stringify replacer copying every object with sorted keys) against the current one (one walk,
 * sorted keys, no copies); both must give the same text. Not a test; prints operations per CPU-second.
 *
 *   node --import tsx test/bench/micro/discover-content-version.ts [--ms 1000]
 */
import { parseArgs } from 'node:util';
import { canonicalJson, contentVersion } from '../../../discover-service/src/resolve/content-version.js';

const { values } = parseArgs({ options: { ms: { type: 'string', default: '1000' } } });
const budgetMs = Math.min(Math.max(Number(values.ms) || 1000, 50), 10_000);
const MAX_OPS = 5_000_000;

/** The canonical JSON before the change, kept here as the baseline. */
function replacerCanonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

const endpoint = (i: number): object => ({
  address: `198.18.0.${i}`, port: 8080, ready: true, serving: true, terminating: false, target: `Pod bench-0/svc-${i}`, weight: 100,
});
const cluster = (name: string): object => ({
  name: `bench-0/${name}:8080`, namespace: 'bench-0', service: name, vip: '127.10.20.30', port: 8080, portName: 'http', protocol: 'http',
  mode: 'http', policy: 'round_robin', options: { LBPolicy: 'round_robin', Weight: '100' }, endpoints: [1, 2, 3, 4, 5].map(endpoint),
});
const doc = {
  namespace: 'bench-0', service: 'svc-0-7',
  inbound: [{ name: 'http', port: 8080, outerPort: 65301, protocol: 'http', mode: 'http', options: {} }],
  outbound: ['svc-0-0', 'svc-0-107', 'svc-0-207'].map(cluster),
  dns: {
    records: ['svc-0-0', 'svc-0-107', 'svc-0-207'].map((n) => ({ names: [n, `${n}.bench-0`, `${n}.bench-0.svc`], service: `bench-0/${n}`, address: '127.10.20.30', ports: [{ name: 'http', port: 8080, protocol: 'http' }] })),
    searches: ['bench-0.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], upstream: [], clusterDomain: 'cluster.local', ttl: 5,
  },
};
if (canonicalJson(doc) !== replacerCanonicalJson(doc)) throw new Error('the two canonical forms differ');

/** Ops per second of CPU time (this process's user + system): steadier than wall time on a shared machine. */
function measure(name: string, fn: () => unknown): Record<string, string> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let ops = 0;
  while (performance.now() - start < budgetMs && ops < MAX_OPS) {
    for (let i = 0; i < 256; i++) fn();
    ops += 256;
  }
  const used = process.cpuUsage(cpu);
  return { case: name, 'ops per CPU-second': Math.round(ops / ((used.user + used.system) / 1e6)).toLocaleString('en-US') };
}

console.table([
  measure('canonical JSON, replacer (before)', () => replacerCanonicalJson(doc)),
  measure('canonical JSON, sorted copy only where needed (now)', () => canonicalJson(doc)),
  measure('contentVersion (now: canonical JSON + sha256)', () => contentVersion(doc)),
]);
