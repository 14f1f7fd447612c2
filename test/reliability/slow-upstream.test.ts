import t from 'tap';
import { setTimeout as delay } from 'node:timers/promises';
import { readRssMiB } from '../bench/lib/process-sampler.js';
import { percentile } from '../bench/lib/stats.js';
import { waitUntil } from '../bench/lib/timing.js';
import { ScenarioHarness } from './lib/scenario-harness.js';
import { readyEndpoint, type ScenarioMesh } from './lib/scenario-manifest.js';
import { LOAD_RATE } from './lib/scenario-constants.js';
import { SilentUpstream } from './lib/silent-upstream.js';
import { establishedTo } from './lib/tcp-table.js';
import { statusCounts, SteadyLoad, type LoadReport, type LoadSample } from './lib/steady-load.js';

/*
 * Faults under load: an upstream that accepts and never answers. Port 8080 is
 * bounded by MaxRequests, port 8081 by MaxConnections + MaxPendingRequests;
 * both have RequestTimeoutMS. Every request must get an answer: 504 when its
 * deadline passes (never before it), 503 at once when a breaker is full, and
 * web's mesh-proxy must neither hold more upstream connections than allowed
 * nor grow its memory with the backlog.
 */
const NET = '127.0.25';
const SLOW = `${NET}.20`;
const TIMEOUT_MS = 500;
const LIMITS = { maxRequests: 20, maxConnections: 10, maxPending: 10 };

const MESH: ScenarioMesh = {
  namespace: 'rel-slow',
  webAddress: `${NET}.10`,
  services: [{ name: 'slow', ports: [8080, 8081], meshed: false, endpoints: [readyEndpoint('slow-0', SLOW)] }],
  outboundValues: {
    'slow:8080': { RequestTimeoutMS: String(TIMEOUT_MS), Retries: '0', MaxRequests: String(LIMITS.maxRequests) },
    'slow:8081': {
      RequestTimeoutMS: String(TIMEOUT_MS),
      Retries: '0',
      MaxConnections: String(LIMITS.maxConnections),
      MaxPendingRequests: String(LIMITS.maxPending),
    },
  },
};

const latencies = (samples: readonly LoadSample[], status: number): number[] =>
  samples.filter((s) => s.status === status).map((s) => s.latencyMs).sort((a, b) => a - b);

function describe(what: string, r: LoadReport): string {
  const p = (status: number, q: number): string => {
    const v = percentile(latencies(r.samples, status), q);
    return Number.isNaN(v) ? '-' : `${Math.round(v)}`;
  };
  return `${what}: ${r.sent} GETs at ${r.rate.toFixed(0)}/s: ${JSON.stringify(statusCounts(r.samples))}; 504 p50/p99 ${p(504, 50)}/${p(504, 99)} ms; 503 p50/p99 ${p(503, 50)}/${p(503, 99)} ms`;
}

t.setTimeout(300_000);

t.test('a never-answering upstream: 504 on time, breakers answer 503 instead of queueing, memory flat', async (t) => {
  const upstream = new SilentUpstream();
  await upstream.listen(SLOW, [8080, 8081]);
  t.teardown(() => upstream.close());
  const h = await ScenarioHarness.start({ mesh: MESH, source: { kind: 'file' }, dir: t.testdir({}), discoverAddress: `${NET}.1` });
  t.teardown(() => h.close());
  await h.startProxy('web-0', MESH.webAddress, 'web');
  const pid = h.processes.get('web-0 mesh-proxy').pid;
  const peakConnections = { 8080: 0, 8081: 0 };
  /** Load on one port; web-0's upstream connections to it sampled from the kernel meanwhile. */
  const run = async (port: 8080 | 8081, rate: number, ms: number): Promise<LoadReport> => {
    // Enough client connections that no request waits in the client: latency is the proxy's.
    const load = new SteadyLoad({ origin: await h.origin('slow', port), host: `slow:${port}`, rate, maxDurationMs: ms, timeoutMs: 30_000, connections: 1024 });
    const watch = setInterval(() => {
      peakConnections[port] = Math.max(peakConnections[port], establishedTo(SLOW, port));
    }, 20);
    await delay(ms);
    try {
      return await load.stop();
    } finally {
      clearInterval(watch);
    }
  };
  const rss: number[] = [readRssMiB(pid)];
  const sampler = setInterval(() => rss.push(readRssMiB(pid)), 250);
  t.teardown(() => clearInterval(sampler));

  // Below every limit: each request waits for its deadline and gets a 504.
  const slow = await run(8080, 10, 2000);
  t.comment(describe('8080 at 10/s', slow));
  t.same(statusCounts(slow.samples), { 504: slow.sent }, 'every request answered 504');
  t.ok((latencies(slow.samples, 504)[0] ?? 0) >= TIMEOUT_MS - 5, `no 504 before RequestTimeoutMS (${TIMEOUT_MS} ms)`);

  const flood = await run(8080, LOAD_RATE, 5000);
  t.comment(describe(`8080 at ${LOAD_RATE}/s, MaxRequests ${LIMITS.maxRequests}`, flood));
  const floodCounts = statusCounts(flood.samples);
  t.equal(flood.samples.length, flood.sent, 'every request answered');
  t.equal((floodCounts['503'] ?? 0) + (floodCounts['504'] ?? 0), flood.sent, 'only 503 (breaker) and 504 (timeout)');
  t.ok((floodCounts['503'] ?? 0) > 0 && (floodCounts['504'] ?? 0) > 0, 'both the breaker and the timeout answered');
  const overflow = flood.samples.find((s) => s.status === 503);
  t.match(overflow?.detail, /MESH_ERR_OVERFLOW.*MaxRequests/, '503 names the MaxRequests breaker');
  t.comment(`8080: at most ${peakConnections[8080]} upstream connections established at once`);

  const pending = await run(8081, LOAD_RATE, 5000);
  t.comment(describe(`8081 at ${LOAD_RATE}/s, MaxConnections ${LIMITS.maxConnections} + MaxPendingRequests ${LIMITS.maxPending}`, pending));
  const pendingCounts = statusCounts(pending.samples);
  t.equal(pending.samples.length, pending.sent, 'every request answered');
  t.equal((pendingCounts['503'] ?? 0) + (pendingCounts['504'] ?? 0), pending.sent, 'only 503 (breaker) and 504 (timeout)');
  t.match(pending.samples.find((s) => s.status === 503)?.detail, /MESH_ERR_OVERFLOW.*MaxPendingRequests/, '503 names the MaxPendingRequests breaker');
  t.ok(peakConnections[8081] <= LIMITS.maxConnections, `at most MaxConnections upstream connections at once (${peakConnections[8081]})`);
  // Waiting requests are bounded too: in flight never exceeds connections + pending, so 504s are capped per deadline window.
  const windows = Math.ceil(5000 / TIMEOUT_MS) + 2;
  t.ok((pendingCounts['504'] ?? 0) <= (LIMITS.maxConnections + LIMITS.maxPending) * windows, `504s bounded by the breakers (${pendingCounts['504'] ?? 0})`);

  clearInterval(sampler);
  rss.push(readRssMiB(pid));
  const firstSecond = Math.max(...rss.slice(0, 5));
  const lastSecond = Math.max(...rss.slice(-5));
  t.comment(`web-0 mesh-proxy RSS: start ${rss[0]?.toFixed(1)} MiB, peak ${Math.max(...rss).toFixed(1)} MiB, end ${rss.at(-1)?.toFixed(1)} MiB (${rss.length} samples)`);
  t.ok(lastSecond - firstSecond < 40, `memory flat: grew ${(lastSecond - firstSecond).toFixed(1)} MiB over ${flood.sent + pending.sent + slow.sent} requests`);
  // Idle keep-alive connections may linger until their idle timeout; none may stay for good.
  const lingering = establishedTo(SLOW, 8080) + establishedTo(SLOW, 8081);
  await waitUntil('upstream connections closed', async () => establishedTo(SLOW, 8080) + establishedTo(SLOW, 8081) === 0, 15_000, 100).catch(() => undefined);
  t.comment(`${lingering} upstream connections open right after the load`);
  t.equal(establishedTo(SLOW, 8080) + establishedTo(SLOW, 8081), 0, 'no upstream connection left open');
});
