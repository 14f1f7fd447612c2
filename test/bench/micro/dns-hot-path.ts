/**
 * Micro-benchmark of dns-shim's per-query functions: parsing, the mesh table
 * lookup (a hit, and a miss that walks the name's suffixes), the prebuilt
 * reply, a cache hit, the query counter, and the whole handler for a mesh
 * name and for a cached forwarded name. Not a test; prints CPU ns per
 * operation (CPU time, not wall time, so other work on the machine skews it
 * less) and the young-generation bytes each operation leaves as garbage
 * (what makes scavenges frequent under --max-semi-space-size=1).
 *
 *   npx tsc -b dns-shim && node --import tsx test/bench/micro/dns-hot-path.ts [--ms 1000]
 */
import { parseArgs } from 'node:util';
import { getHeapSpaceStatistics } from 'node:v8';
import { silentLogger } from '@meshplug/plugin-api';
import {
  buildPrebuiltReply,
  DnsMetrics,
  Forwarder,
  ManualClock,
  MeshTable,
  parseQuery,
  QueryHandler,
  ResponseCache,
  TcpTransport,
  UdpTransport,
  validateDnsTable,
  type ParsedQuery,
} from '@meshplug/dns-shim';
import { query } from '../../../dns-shim/test/helpers/dns-client.js';
import { FakeUpstream } from '../../../dns-shim/test/helpers/fake-upstream.js';

const { values } = parseArgs({ options: { ms: { type: 'string', default: '1000' } } });
const budgetMs = Math.min(Math.max(Number(values.ms) || 1000, 50), 10_000);
/** Hard cap on operations per case, whatever the machine's speed. */
const MAX_OPS = 50_000_000;
/** Operations between clock reads, so reading the clock costs little. */
const BATCH = 4_096;

/** The benchmark's mesh: 50 dependencies, four name forms each, as in `npm run bench -- dns`. */
const records = Array.from({ length: 50 }, (_, i) => ({
  names: [`dep-${i}`, `dep-${i}.bench`, `dep-${i}.bench.svc`, `dep-${i}.bench.svc.cluster.local`],
  service: `bench/dep-${i}`,
  address: `127.77.0.${i + 1}`,
  ports: [{ name: 'http', port: 8080, protocol: 'http' }],
}));
const table = new MeshTable(
  validateDnsTable({ records, searches: [], upstream: [], clusterDomain: 'cluster.local', ttl: 5 }),
  'micro',
);
const meshQueries = records.flatMap((r) => r.names).map((n, i) => query(n, 'A', { id: i }));
const ednsQueries = records.map((r, i) => query(r.names[3] as string, 'A', { id: i, edns: 1232 }));
const forwardedQueries = Array.from({ length: 200 }, (_, i) => query(`host-${i}.bench.example`, 'A', { id: i }));

function parsed(raw: Buffer): ParsedQuery {
  const r = parseQuery(raw);
  if (r.kind !== 'query') throw new Error(`not a query: ${r.kind}`);
  return r;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function newSpaceUsed(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_used_size ?? 0;
}

/** Operations per allocation sample: few enough that a sample rarely spans a scavenge. */
const ALLOC_SAMPLE_OPS = 500;
const ALLOC_SAMPLES = 20;

/** Young bytes per operation: the new space's growth over a short run, the smallest of a few runs without a scavenge. */
function youngBytesPerOp(op: (i: number) => unknown): string {
  let best = Infinity;
  for (let sample = 0; sample < ALLOC_SAMPLES; sample++) {
    const before = newSpaceUsed();
    for (let i = 0; i < ALLOC_SAMPLE_OPS; i++) op(i);
    const grown = newSpaceUsed() - before;
    if (grown >= 0) best = Math.min(best, grown / ALLOC_SAMPLE_OPS);
  }
  return best === Infinity ? '?' : best.toFixed(0);
}

/** Runs `op(i)` for the budget of CPU time; the sink keeps results alive so nothing is optimised away. */
function measure(name: string, op: (i: number) => unknown): Record<string, string> {
  let sink = 0;
  let ops = 0;
  const start = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < budgetMs && ops < MAX_OPS) {
    for (let i = 0; i < BATCH; i++) if (op(ops + i) !== undefined) sink++;
    ops += BATCH;
    elapsed = cpuMs(start);
  }
  if (sink === 0) throw new Error(`${name}: every result was undefined`);
  return {
    case: name,
    'CPU ns/op': ((elapsed * 1e6) / ops).toFixed(0),
    'ops per CPU s': Math.round((ops / elapsed) * 1000).toLocaleString('en-US'),
    'young bytes/op': youngBytesPerOp(op),
  };
}

const up = await new FakeUpstream().start();
const cache = new ResponseCache({ maxEntries: 10_000, maxTtlSeconds: 3600, maxNegativeTtlSeconds: 300, clock: new ManualClock() });
const metrics = new DnsMetrics(() => cache.size);
const udp = new UdpTransport();
const tcp = new TcpTransport();
const logger = silentLogger();
const forwarder = new Forwarder({ udp, tcp, cache, metrics, logger, timeoutMs: 2000, attemptTimeoutMs: 500, rounds: 1 });
forwarder.setUpstreams([{ host: '127.0.0.1', port: up.port }]);
const handler = new QueryHandler({ table: () => table, forwarder, metrics, logger, maxUdpPayload: 1232 });
for (const raw of forwardedQueries) await handler.handle(raw, 'udp');

const meshParsed = meshQueries.map(parsed);
const forwardedParsed = forwardedQueries.map(parsed);
const ednsParsed = ednsQueries.map(parsed);
const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;
const answerOf = (q: ParsedQuery) => {
  const a = table.lookup(q);
  if (a === undefined) throw new Error('not a mesh name');
  return a;
};
const meshAnswers = meshParsed.map(answerOf);
const ednsAnswers = ednsParsed.map(answerOf);

const rows = [
  measure('parseQuery (mesh name)', (i) => parseQuery(pick(meshQueries, i))),
  measure('MeshTable.lookup (hit)', (i) => table.lookup(pick(meshParsed, i))),
  measure('MeshTable.lookup (miss, 3 labels)', (i) => (table.lookup(pick(forwardedParsed, i)) === undefined ? i : undefined)),
  measure('buildPrebuiltReply', (i) => buildPrebuiltReply(pick(meshQueries, i), pick(meshParsed, i), pick(meshAnswers, i), 1232)),
  measure('buildPrebuiltReply (EDNS)', (i) => buildPrebuiltReply(pick(ednsQueries, i), pick(ednsParsed, i), pick(ednsAnswers, i), 1232)),
  measure('ResponseCache.get (hit)', (i) => cache.get(pick(forwardedParsed, i))),
  measure('DnsMetrics.countQuery', (i) => metrics.countQuery(1, 'mesh', 'udp') ?? i),
  measure('QueryHandler.handle (mesh name)', (i) => handler.handle(pick(meshQueries, i), 'udp')),
  measure('QueryHandler.handle (cached forwarded)', (i) => {
    const reply = handler.handle(pick(forwardedQueries, i), 'udp');
    if (!Buffer.isBuffer(reply)) throw new Error('a cached name must be answered synchronously');
    return reply;
  }),
];
console.table(rows);
await udp.close();
await tcp.close();
await up.stop();
