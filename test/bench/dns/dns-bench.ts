import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DnsRecord, MeshDocument } from '@meshplug/plugin-api';
import type { BenchRow } from '../lib/bench-row.js';
import { ChildGroup, type ChildSpec } from '../lib/children.js';
import { FakeDiscoverServer } from '../lib/fake-discover.js';
import { meshplugCommand, tsxScript } from '../lib/meshplug-command.js';
import { freePort } from '../lib/net.js';
import { bestOf, type PartResult, type PartSettings } from '../lib/part.js';
import { ProcessSampler, readMemoryMiB, type ProcessUsage } from '../lib/process-sampler.js';
import { formatNumber, markdownTable } from '../lib/table.js';
import { dnsmasqCommand } from './dnsmasq.js';
import { queryA, waitForAnswer } from './dns-query.js';
import { runDnsperf, type DnsperfResult } from './dnsperf.js';
import { FakeUpstreamDns } from './fake-upstream-dns.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Dependencies in the mesh table (each answers four name forms). */
const MESH_SERVICES = 50;
/** Distinct forwarded names, all cached before the measured runs. */
const FORWARDED_NAMES = 200;
/** Rate of the latency runs: well under both servers' capacity, so latency is service time, not queueing. */
const LATENCY_QPS = 5000;

type Server = 'dnsmasq' | 'dns-shim';
const SERVERS: readonly Server[] = ['dnsmasq', 'dns-shim'];

/**
 * V8 flags of the lean dns-shim memory row: a 1 MiB young generation instead of growing to 16 MiB
 * (the hot path allocates little, so scavenges stay cheap). Set on the node command line or in
 * NODE_OPTIONS of the dns-shim container; V8 reads it only at start.
 */
const LEAN_NODE_OPTIONS = '--max-semi-space-size=1';

/** Memory of one process, MiB: VmRSS and its private (anonymous) and file-backed parts. */
interface Memory {
  rss: number;
  anon: number;
  file: number;
}

/** dns-shim's memory: idle (table loaded, cache warm) and the most seen under max-rate load. */
interface ShimMemory {
  idle: Memory;
  load: ProcessUsage;
}

interface Measured {
  throughput: DnsperfResult;
  /**
   * Server CPU time per answered query in the best max-rate run, microseconds: unlike q/s it hardly
   * depends on how much of the machine the server got, so it compares the two fairly on a busy host.
   */
  cpuMicrosPerQuery: number;
  latency: DnsperfResult;
}

function meshRecords(): DnsRecord[] {
  return Array.from({ length: MESH_SERVICES }, (_, i) => {
    const name = `dep-${i}`;
    return {
      names: [name, `${name}.bench`, `${name}.bench.svc`, `${name}.bench.svc.cluster.local`],
      service: `bench/${name}`,
      address: `127.77.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    };
  });
}

function meshDocument(records: DnsRecord[]): MeshDocument {
  return {
    version: 'dns-bench-1',
    namespace: 'bench',
    service: 'client',
    inbound: [],
    outbound: [],
    dns: {
      records,
      searches: ['bench.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      upstream: [],
      clusterDomain: 'cluster.local',
      ttl: 5,
    },
  };
}

/** `npm run bench -- dns`: dnsperf against dns-shim and dnsmasq, same names, same upstream, one run. */
export async function runDnsBench(settings: PartSettings): Promise<PartResult> {
  const children = new ChildGroup();
  const upstream = new FakeUpstreamDns();
  const discover = new FakeDiscoverServer();
  try {
    const up = await upstream.listen();
    const upstreamAt = { host: '127.0.0.1', port: up.port };
    const records = meshRecords();
    discover.set(meshDocument(records));
    const discoverUrl = await discover.listen();

    const shimAt = { host: '127.0.0.1', port: await freePort() };
    const dnsmasqAt = { host: '127.0.0.1', port: await freePort() };
    const shim = children.start(shimCommand(discoverUrl, shimAt, upstreamAt));
    const dnsmasq = children.start(dnsmasqCommand({ port: dnsmasqAt.port, records, upstream: upstreamAt }));
    const servers: Record<Server, { host: string; port: number }> = { dnsmasq: dnsmasqAt, 'dns-shim': shimAt };
    const pids: Record<Server, number> = { dnsmasq: dnsmasq.pid, 'dns-shim': shim.pid };
    const floorAt = { host: '127.0.0.1', port: await freePort() };
    const floor = children.start(tsxScript('udp-echo-floor', join(HERE, 'udp-echo-floor.ts'), [String(floorAt.port)]));
    await floor.waitForLine(/^listening/, 15_000);
    const probe = records[0];
    if (probe === undefined) throw new Error('no mesh records');
    await children.guard(Promise.all(Object.values(servers).map((at) => waitForAnswer(at, probe.names[0] ?? '', probe.address, 15_000))));

    const meshQueries = records.flatMap((r) => r.names.map((n) => `${n} A`));
    const forwardedNames = Array.from({ length: FORWARDED_NAMES }, (_, i) => `host-${i}.bench.example`);
    const forwardedQueries = forwardedNames.map((n) => `${n} A`);
    settings.log(`dns: warming both caches with ${FORWARDED_NAMES} forwarded names`);
    for (const at of Object.values(servers)) await warm(at, forwardedNames);
    const upstreamAfterWarmup = upstream.queries;
    const idle: Record<Server, Memory> = { dnsmasq: readMemoryMiB(dnsmasq.pid), 'dns-shim': readMemoryMiB(shim.pid) };

    const seconds = settings.seconds;
    const sets = { mesh: meshQueries, forwarded: forwardedQueries } as const;
    const measured: Record<keyof typeof sets, Record<Server, Measured>> = {
      mesh: {} as Record<Server, Measured>,
      forwarded: {} as Record<Server, Measured>,
    };
    const underLoad: Partial<Record<Server, ProcessUsage>> = {};
    const floorRuns: DnsperfResult[] = [];
    for (const [setName, queries] of Object.entries(sets) as [keyof typeof sets, readonly string[]][]) {
      const runs: Record<Server, { result: DnsperfResult; usage: ProcessUsage }[]> = { dnsmasq: [], 'dns-shim': [] };
      // Rounds interleave the two servers, so a burst of other work on the machine hits both alike.
      for (let round = 0; round < settings.rounds; round++) {
        for (const server of SERVERS) {
          settings.log(`dns: ${setName} names, ${server}, max rate, round ${round + 1}/${settings.rounds} (${seconds} s)`);
          const sampler = new ProcessSampler(pids[server]);
          sampler.start();
          const result = await runDnsperf({ server: servers[server], queries, durationSeconds: seconds });
          const usage = sampler.stop();
          runs[server].push({ result, usage });
          const before = underLoad[server];
          if (before === undefined || usage.rssMaxMiB > before.rssMaxMiB) underLoad[server] = usage;
        }
        if (setName === 'mesh') {
          settings.log(`dns: node:dgram floor (echo, no DNS work), max rate, round ${round + 1}/${settings.rounds} (${seconds} s)`);
          floorRuns.push(await runDnsperf({ server: floorAt, queries, durationSeconds: seconds }));
        }
      }
      for (const server of SERVERS) {
        settings.log(`dns: ${setName} names, ${server}, ${LATENCY_QPS} q/s fixed rate (${seconds} s)`);
        const latency = await runDnsperf({
          server: servers[server],
          queries,
          durationSeconds: seconds,
          maxQps: LATENCY_QPS,
          perQueryLatency: true,
        });
        const best = bestOf(runs[server], (r) => r.result.queriesPerSecond);
        const cpuMicrosPerQuery = (best.usage.cpuCores / best.result.queriesPerSecond) * 1e6;
        measured[setName][server] = { throughput: best.result, cpuMicrosPerQuery, latency };
      }
    }
    const upstreamDuringRuns = upstream.queries - upstreamAfterWarmup;
    const shimLoad = underLoad['dns-shim'];
    if (shimLoad === undefined) throw new Error('dns-shim was never sampled');
    const memory = { idle: idle['dns-shim'], load: shimLoad };
    await shim.stop();
    await floor.stop();
    const floorBest = bestOf(floorRuns, (r) => r.queriesPerSecond);

    settings.log(`dns: memory of dns-shim with NODE_OPTIONS=${LEAN_NODE_OPTIONS} (idle, then ${seconds} s max rate)`);
    const lean = await leanShimMemory(children, discoverUrl, upstreamAt, records, meshQueries, forwardedNames, seconds);

    const rows = dnsRows(measured, floorBest, memory, lean, idle.dnsmasq, upstreamDuringRuns);
    return {
      part: 'dns',
      rows,
      details: {
        measured,
        nodeDgramFloor: floorBest,
        memory,
        lean: { nodeOptions: LEAN_NODE_OPTIONS, ...lean },
        dnsmasqMemory: { idle: idle.dnsmasq, load: underLoad.dnsmasq },
        upstreamQueriesDuringRuns: upstreamDuringRuns,
        latencyQps: LATENCY_QPS,
      },
      table: dnsTable(measured, floorBest, memory, lean),
    };
  } finally {
    await children.stopAll();
    await discover.close();
    await upstream.close();
  }
}

/** `meshplug dns` as the sidecar runs it (metrics off: scraping is not part of the load). */
function shimCommand(
  discoverUrl: string,
  at: { host: string; port: number },
  upstream: { host: string; port: number },
  env: NodeJS.ProcessEnv = {},
): ChildSpec {
  return meshplugCommand(
    'dns-shim',
    'dns',
    [
      '--config-url', discoverUrl,
      '--namespace', 'bench',
      '--service', 'client',
      '--listen', `${at.host}:${at.port}`,
      '--upstream', `${upstream.host}:${upstream.port}`,
      '--metrics', 'off',
      '--log-level', 'warn',
    ],
    env,
  );
}

async function warm(at: { host: string; port: number }, names: readonly string[]): Promise<void> {
  for (const name of names) {
    if ((await queryA(at, name)).length !== 1) throw new Error(`${name} did not resolve through ${at.port}`);
  }
}

/** A second dns-shim with the lean V8 flags, measured alone (the first one is stopped): idle, then max-rate mesh names. */
async function leanShimMemory(
  children: ChildGroup,
  discoverUrl: string,
  upstream: { host: string; port: number },
  records: readonly DnsRecord[],
  meshQueries: readonly string[],
  forwardedNames: readonly string[],
  seconds: number,
): Promise<ShimMemory & { queriesPerSecond: number }> {
  const at = { host: '127.0.0.1', port: await freePort() };
  const lean = children.start(shimCommand(discoverUrl, at, upstream, { NODE_OPTIONS: LEAN_NODE_OPTIONS }));
  const probe = records[0] as DnsRecord;
  // Only this child's exit matters now: the first dns-shim was stopped on purpose.
  const exited = lean.whenExited();
  exited.catch(() => undefined);
  await Promise.race([waitForAnswer(at, probe.names[0] ?? '', probe.address, 15_000), exited]);
  await warm(at, forwardedNames);
  const idle = readMemoryMiB(lean.pid);
  const sampler = new ProcessSampler(lean.pid);
  sampler.start();
  const run = await runDnsperf({ server: at, queries: meshQueries, durationSeconds: seconds });
  const load = sampler.stop();
  await lean.stop();
  return { idle, load, queriesPerSecond: run.queriesPerSecond };
}

function dnsRows(
  m: Record<'mesh' | 'forwarded', Record<Server, Measured>>,
  floor: DnsperfResult,
  memory: ShimMemory,
  lean: ShimMemory,
  dnsmasqIdle: Memory,
  upstreamDuringRuns: number,
): BenchRow[] {
  const note = (r: Measured): string | undefined => {
    const bad = r.throughput.lost + r.throughput.failures + r.latency.lost + r.latency.failures;
    return bad === 0 ? undefined : `${bad} lost/failed`;
  };
  const rows: BenchRow[] = [];
  const mesh = m.mesh;
  const fwd = m.forwarded;
  rows.push({
    part: 'dns', what: 'DNS mesh names, max rate', unit: 'q/s', anchor: 'dnsmasq',
    anchorValue: mesh.dnsmasq.throughput.queriesPerSecond, value: mesh['dns-shim'].throughput.queriesPerSecond,
    goal: { kind: 'ratio-at-least', value: 1.0 }, target: '>= 1.0x dnsmasq q/s', ...optionalNote(note(mesh['dns-shim'])),
  });
  rows.push(cpuRow('DNS mesh names, server CPU per query (max rate)', mesh));
  rows.push({
    part: 'dns', what: 'node:dgram floor (echo server, no DNS work), max rate', unit: 'q/s', anchor: 'dnsmasq',
    anchorValue: mesh.dnsmasq.throughput.queriesPerSecond, value: floor.queriesPerSecond, goal: { kind: 'none' }, target: '-',
    note: 'the most any node:dgram server reaches here',
  });
  rows.push({
    part: 'dns', what: `DNS mesh names, p99 at ${LATENCY_QPS} q/s`, unit: 'ms', anchor: 'dnsmasq',
    anchorValue: mesh.dnsmasq.latency.latencyMs?.p99, value: mesh['dns-shim'].latency.latencyMs?.p99 ?? Number.NaN,
    goal: { kind: 'ratio-at-most', value: 1.0 }, target: 'p99 no worse than dnsmasq',
  });
  rows.push({
    part: 'dns', what: 'DNS cached forwarded names, max rate', unit: 'q/s', anchor: 'dnsmasq',
    anchorValue: fwd.dnsmasq.throughput.queriesPerSecond, value: fwd['dns-shim'].throughput.queriesPerSecond,
    goal: { kind: 'ratio-at-least', value: 0.8 }, target: '>= 0.8x dnsmasq q/s',
    ...optionalNote(upstreamDuringRuns === 0 ? note(fwd['dns-shim']) : `${upstreamDuringRuns} upstream queries during runs`),
  });
  rows.push(cpuRow('DNS cached forwarded names, server CPU per query (max rate)', fwd));
  rows.push({
    part: 'dns', what: `DNS cached forwarded names, p99 at ${LATENCY_QPS} q/s`, unit: 'ms', anchor: 'dnsmasq',
    anchorValue: fwd.dnsmasq.latency.latencyMs?.p99, value: fwd['dns-shim'].latency.latencyMs?.p99 ?? Number.NaN,
    goal: { kind: 'none' }, target: '-',
  });
  const split = (anon: number, file: number): string => `private ${formatNumber(anon)} + files ${formatNumber(file)} MiB`;
  rows.push({
    part: 'dns', what: 'dns-shim RSS idle', unit: 'MiB', anchor: 'dnsmasq', anchorValue: dnsmasqIdle.rss,
    value: memory.idle.rss, goal: { kind: 'none' }, target: '-', note: split(memory.idle.anon, memory.idle.file),
  });
  rows.push({
    part: 'dns', what: 'dns-shim RSS at max rate', unit: 'MiB', value: memory.load.rssMaxMiB,
    goal: { kind: 'none' }, target: '-',
    note: `${split(memory.load.rssAnonMaxMiB, memory.load.rssFileMaxMiB)}, CPU ${memory.load.cpuCores.toFixed(2)} cores`,
  });
  rows.push({
    part: 'dns', what: `dns-shim RSS idle / at max rate, ${LEAN_NODE_OPTIONS}`, unit: 'MiB', value: lean.load.rssMaxMiB,
    goal: { kind: 'none' }, target: '-',
    note: `idle ${formatNumber(lean.idle.rss)}; at max rate ${split(lean.load.rssAnonMaxMiB, lean.load.rssFileMaxMiB)}`,
  });
  return rows;
}

function cpuRow(what: string, m: Record<Server, Measured>): BenchRow {
  return {
    part: 'dns', what, unit: 'µs', anchor: 'dnsmasq', anchorValue: m.dnsmasq.cpuMicrosPerQuery,
    value: m['dns-shim'].cpuMicrosPerQuery, goal: { kind: 'none' }, target: '-',
  };
}

function optionalNote(note: string | undefined): { note?: string } {
  return note === undefined ? {} : { note };
}

function dnsTable(m: Record<'mesh' | 'forwarded', Record<Server, Measured>>, floor: DnsperfResult, memory: ShimMemory, lean: ShimMemory & { queriesPerSecond: number }): string {
  const rows: string[][] = [];
  for (const set of ['mesh', 'forwarded'] as const) {
    for (const server of SERVERS) {
      const r = m[set][server];
      const l = r.latency.latencyMs;
      rows.push([
        set === 'mesh' ? 'mesh names' : 'cached forwarded',
        server,
        formatNumber(r.throughput.queriesPerSecond),
        formatNumber(r.cpuMicrosPerQuery),
        formatNumber(r.throughput.averageLatencyMs),
        formatNumber(l?.p50),
        formatNumber(l?.p99),
        String(r.throughput.lost + r.latency.lost + r.throughput.failures + r.latency.failures),
      ]);
    }
    if (set === 'mesh') {
      rows.push([
        'mesh names', 'node:dgram echo floor', formatNumber(floor.queriesPerSecond), '-',
        formatNumber(floor.averageLatencyMs), '-', '-', String(floor.lost + floor.failures),
      ]);
    }
  }
  const mem = (what: string, idle: Memory, load: ProcessUsage): string =>
    `${what}: idle RSS ${formatNumber(idle.rss)} MiB (private ${formatNumber(idle.anon)}, files ${formatNumber(idle.file)}); ` +
    `under max-rate load RSS max ${formatNumber(load.rssMaxMiB)} MiB (private ${formatNumber(load.rssAnonMaxMiB)}, ` +
    `files ${formatNumber(load.rssFileMaxMiB)}), CPU ${load.cpuCores.toFixed(2)} cores`;
  return (
    markdownTable(
      ['names', 'server', 'q/s (max rate)', 'server CPU µs/query', 'avg ms (max rate)', `p50 ms @${LATENCY_QPS}/s`, `p99 ms @${LATENCY_QPS}/s`, 'lost+failed'],
      rows,
    ) +
    `\n\n${mem('dns-shim', memory.idle, memory.load)}` +
    `\n${mem(`dns-shim with NODE_OPTIONS=${LEAN_NODE_OPTIONS}`, lean.idle, lean.load)} (mesh names ${formatNumber(lean.queriesPerSecond)} q/s)`
  );
}
