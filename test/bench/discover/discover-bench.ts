import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { BenchRow } from '../lib/bench-row.js';
import { ChildGroup } from '../lib/children.js';
import { meshplugCommand } from '../lib/meshplug-command.js';
import { freePort, waitForHttp } from '../lib/net.js';
import { bestOf, type PartResult, type PartSettings } from '../lib/part.js';
import { ProcessSampler, readRssMiB, type ProcessUsage } from '../lib/process-sampler.js';
import { summarize, type LatencySummary } from '../lib/stats.js';
import { formatNumber, markdownTable } from '../lib/table.js';
import { sleep, waitUntil } from '../lib/timing.js';
import { buildFixture, sharedAddress, ISSUE_2_SHAPE } from './mesh-fixture.js';
import { Watchers } from './watchers.js';

const SYNC_TIMEOUT_MS = 300_000;
/** Extra node flags for the server, to profile it under the benchmark (e.g. `--cpu-prof --cpu-prof-dir=DIR`). */
const NODE_ARGS_ENV = 'MESHPLUG_BENCH_DISCOVER_NODE_ARGS';
/** A profiled server writes its profile on exit; give it time before SIGKILL. */
const PROFILED_STOP_GRACE_MS = 120_000;
const CHANGE_TIMEOUT_MS = 120_000;
const MIB_TO_MB = 1.048576;

interface ChangeRun {
  generation: number;
  /** Watchers that got the new version within the timeout. */
  changed: number;
  delaysMs: LatencySummary;
  /** Time to first fetch every document (1,000 GETs, 50 at a time), before the change. */
  fetchAllMs: number;
  /** Long-polls the server reported holding when the change was made. */
  waitersHeld: number | undefined;
  watcherErrors: number;
}

/** Sum of `meshplug_longpoll_waiters` in /metrics, or undefined when the server has no such gauge. */
async function longPollWaiters(baseUrl: string): Promise<number | undefined> {
  const res = await request(`${baseUrl}/metrics`);
  const text = await res.body.text();
  const values = [...text.matchAll(/^meshplug_longpoll_waiters(?:\{[^}]*\})? ([0-9.e+]+)$/gm)].map((m) => Number(m[1]));
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
}

/**
 * `npm run bench -- discover`: 10,000 Services, 50,000 endpoints, 1,000 components each watched by one
 * long-poll; one EndpointSlice that every component depends on changes in the file; how long until every
 * watcher has the new version, the server's RSS, and the first full sync.
 */
export async function runDiscoverBench(settings: PartSettings): Promise<PartResult> {
  const children = new ChildGroup();
  const dir = mkdtempSync(join(tmpdir(), 'meshplug-discover-bench-'));
  const file = join(dir, 'mesh.yaml');
  try {
    settings.log('discover: generating the mesh file');
    const fixture = buildFixture(ISSUE_2_SHAPE);
    const { bytes } = fixture.write(file, 1);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const spawnedAt = performance.now();
    const nodeArgs = (process.env[NODE_ARGS_ENV] ?? '').split(' ').filter(Boolean);
    const command = meshplugCommand('discover-service', 'serve', ['--source', `file:${file}`, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn']);
    const server = children.start({ ...command, args: [...nodeArgs, ...command.args] });
    settings.log(`discover: serving ${fixture.services} Services, ${fixture.endpoints} endpoints (${(bytes / 1e6).toFixed(1)} MB YAML); waiting for /readyz`);
    await children.guard(waitForHttp(`${baseUrl}/readyz`, SYNC_TIMEOUT_MS));
    const firstSyncMs = performance.now() - spawnedAt;
    const rssAfterSyncMiB = readRssMiB(server.pid);

    const sampler = new ProcessSampler(server.pid);
    sampler.start();
    const changes: ChangeRun[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      const generation = round + 2;
      const watchers = new Watchers(baseUrl, fixture.components);
      try {
        const fetchStart = performance.now();
        await watchers.fetchAll();
        const fetchAllMs = performance.now() - fetchStart;
        watchers.startPolling();
        // Bounded: the gauge shows when all long-polls are held; without it, a fixed settle time.
        let waitersHeld: number | undefined;
        await waitUntil(
          'every long-poll held',
          async () => {
            waitersHeld = await longPollWaiters(baseUrl);
            return waitersHeld === undefined || waitersHeld >= fixture.components.length;
          },
          20_000,
          100,
        ).catch(() => undefined);
        if (waitersHeld === undefined) await sleep(3000);
        settings.log(`discover: ${waitersHeld ?? '?'} long-polls held; changing the shared EndpointSlice (round ${round + 1}/${settings.rounds})`);
        const changedAt = performance.now();
        fixture.write(file, generation);
        await waitUntil('every watcher has the new version', async () => watchers.changedCount() === fixture.components.length, CHANGE_TIMEOUT_MS, 5).catch(
          () => undefined,
        );
        const body = watchers.sampleBody();
        if (body !== undefined && !body.includes(sharedAddress(generation))) {
          throw new Error(`a watcher got a new version without the changed endpoint ${sharedAddress(generation)}`);
        }
        changes.push({
          generation,
          changed: watchers.changedCount(),
          delaysMs: summarize(watchers.delays(changedAt)),
          fetchAllMs,
          waitersHeld,
          watcherErrors: watchers.errors,
        });
      } finally {
        await watchers.close();
      }
    }
    const usage = sampler.stop();
    if (nodeArgs.length > 0) await server.stop(PROFILED_STOP_GRACE_MS);
    const best = bestOf(changes, (c) => c.changed * 1e9 - c.delaysMs.p99);
    const details = { fixture: { services: fixture.services, endpoints: fixture.endpoints, components: fixture.components.length, yamlBytes: bytes }, firstSyncMs, rssAfterSyncMiB, usage, changes };
    return {
      part: 'discover',
      rows: discoverRows(best, fixture.components.length, firstSyncMs, usage),
      details,
      table: discoverTable(changes, fixture.components.length, firstSyncMs, rssAfterSyncMiB, usage),
    };
  } finally {
    await children.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

function discoverRows(best: ChangeRun, watchers: number, firstSyncMs: number, usage: ProcessUsage): BenchRow[] {
  const missing = watchers - best.changed;
  const note = missing === 0 ? {} : { note: `${missing} of ${watchers} watchers never saw it` };
  return [
    {
      part: 'discover', what: `change -> all ${watchers} watchers, p99`, unit: 'ms', value: missing === 0 ? best.delaysMs.p99 : Number.NaN,
      goal: { kind: 'value-at-most', value: 500 }, target: 'p99 <= 500 ms', ...note,
    },
    { part: 'discover', what: `change -> all ${watchers} watchers, p50`, unit: 'ms', value: best.delaysMs.p50, goal: { kind: 'none' }, target: '-' },
    {
      part: 'discover', what: 'discover-service RSS (max, 10,000 Services, 1,000 watchers)', unit: 'MB', value: usage.rssMaxMiB * MIB_TO_MB,
      goal: { kind: 'value-at-most', value: 400 }, target: '<= 400 MB',
    },
    { part: 'discover', what: 'first full sync (start -> /readyz 200)', unit: 'ms', value: firstSyncMs, goal: { kind: 'none' }, target: '-' },
  ];
}

function discoverTable(changes: readonly ChangeRun[], watchers: number, firstSyncMs: number, rssAfterSyncMiB: number, usage: ProcessUsage): string {
  const n = formatNumber;
  const rows = changes.map((c) => [
    String(c.generation - 1),
    `${c.changed}/${watchers}`,
    n(c.delaysMs.p50),
    n(c.delaysMs.p99),
    n(c.delaysMs.max),
    n(c.fetchAllMs),
    c.waitersHeld === undefined ? '?' : String(c.waitersHeld),
    String(c.watcherErrors),
  ]);
  return [
    markdownTable(['change', 'watchers updated', 'p50 ms', 'p99 ms', 'max ms', `first GET of ${watchers} docs, ms`, 'long-polls held', 'watcher errors'], rows),
    '',
    `first full sync (process start -> /readyz 200): ${n(firstSyncMs)} ms; RSS after sync ${n(rssAfterSyncMiB)} MiB; ` +
      `RSS max with watchers ${n(usage.rssMaxMiB)} MiB; CPU over the watch phase ${usage.cpuCores.toFixed(2)} cores`,
  ].join('\n');
}
