import type { DnsRecord, MeshDocument } from '@meshplug/plugin-api';
import type { BenchRow } from '../lib/bench-row.js';
import { ChildGroup } from '../lib/children.js';
import { FakeDiscoverServer } from '../lib/fake-discover.js';
import { meshplugCommand } from '../lib/meshplug-command.js';
import { freePort } from '../lib/net.js';
import { bestOf, type PartResult, type PartSettings } from '../lib/part.js';
import { ProcessSampler, type ProcessUsage } from '../lib/process-sampler.js';
import { formatNumber, markdownTable } from '../lib/table.js';
import { dnsmasqCommand } from './dnsmasq.js';
import { queryA, waitForAnswer } from './dns-query.js';
import { runDnsperf, type DnsperfResult } from './dnsperf.js';
import { FakeUpstreamDns } from './fake-upstream-dns.js';

/** Dependencies in the mesh table (each answers four name forms). */
const MESH_SERVICES = 50;
/** Distinct forwarded names, all cached before the measured runs. */
const FORWARDED_NAMES = 200;
/** Rate of the latency runs: well under both servers' capacity, so latency is service time, not queueing. */
const LATENCY_QPS = 5000;

type Server = 'dnsmasq' | 'dns-shim';

interface Measured {
  throughput: DnsperfResult;
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
    const shim = children.start(
      meshplugCommand('dns-shim', 'dns', [
        '--config-url', discoverUrl,
        '--namespace', 'bench',
        '--service', 'client',
        '--listen', `${shimAt.host}:${shimAt.port}`,
        '--upstream', `${upstreamAt.host}:${upstreamAt.port}`,
        '--metrics', 'off',
        '--log-level', 'warn',
      ]),
    );
    children.start(dnsmasqCommand({ port: dnsmasqAt.port, records, upstream: upstreamAt }));
    const servers: Record<Server, { host: string; port: number }> = { dnsmasq: dnsmasqAt, 'dns-shim': shimAt };
    const probe = records[0];
    if (probe === undefined) throw new Error('no mesh records');
    await children.guard(Promise.all(Object.values(servers).map((at) => waitForAnswer(at, probe.names[0] ?? '', probe.address, 15_000))));

    const meshQueries = records.flatMap((r) => r.names.map((n) => `${n} A`));
    const forwardedNames = Array.from({ length: FORWARDED_NAMES }, (_, i) => `host-${i}.bench.example`);
    const forwardedQueries = forwardedNames.map((n) => `${n} A`);
    settings.log(`dns: warming both caches with ${FORWARDED_NAMES} forwarded names`);
    for (const at of Object.values(servers)) {
      for (const name of forwardedNames) {
        if ((await queryA(at, name)).length !== 1) throw new Error(`${name} did not resolve through ${at.port}`);
      }
    }
    const upstreamAfterWarmup = upstream.queries;

    const seconds = settings.seconds;
    const sets = { mesh: meshQueries, forwarded: forwardedQueries } as const;
    const measured: Record<keyof typeof sets, Record<Server, Measured>> = {
      mesh: {} as Record<Server, Measured>,
      forwarded: {} as Record<Server, Measured>,
    };
    let shimUsage: ProcessUsage | undefined;
    for (const [setName, queries] of Object.entries(sets) as [keyof typeof sets, readonly string[]][]) {
      for (const server of ['dnsmasq', 'dns-shim'] as const) {
        const runs: DnsperfResult[] = [];
        for (let round = 0; round < settings.rounds; round++) {
          settings.log(`dns: ${setName} names, ${server}, max rate, round ${round + 1}/${settings.rounds} (${seconds} s)`);
          const sampler = server === 'dns-shim' && setName === 'mesh' ? new ProcessSampler(shim.pid) : undefined;
          sampler?.start();
          runs.push(await runDnsperf({ server: servers[server], queries, durationSeconds: seconds }));
          const usage = sampler?.stop();
          if (usage !== undefined && (shimUsage === undefined || usage.rssMaxMiB > shimUsage.rssMaxMiB)) shimUsage = usage;
        }
        settings.log(`dns: ${setName} names, ${server}, ${LATENCY_QPS} q/s fixed rate (${seconds} s)`);
        const latency = await runDnsperf({
          server: servers[server],
          queries,
          durationSeconds: seconds,
          maxQps: LATENCY_QPS,
          perQueryLatency: true,
        });
        measured[setName][server] = { throughput: bestOf(runs, (r) => r.queriesPerSecond), latency };
      }
    }
    const upstreamDuringRuns = upstream.queries - upstreamAfterWarmup;

    const rows = dnsRows(measured, shimUsage, upstreamDuringRuns);
    return {
      part: 'dns',
      rows,
      details: { measured, shimUsage, upstreamQueriesDuringRuns: upstreamDuringRuns, latencyQps: LATENCY_QPS },
      table: dnsTable(measured, shimUsage),
    };
  } finally {
    await children.stopAll();
    await discover.close();
    await upstream.close();
  }
}

function dnsRows(
  m: Record<'mesh' | 'forwarded', Record<Server, Measured>>,
  shimUsage: ProcessUsage | undefined,
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
  rows.push({
    part: 'dns', what: `DNS cached forwarded names, p99 at ${LATENCY_QPS} q/s`, unit: 'ms', anchor: 'dnsmasq',
    anchorValue: fwd.dnsmasq.latency.latencyMs?.p99, value: fwd['dns-shim'].latency.latencyMs?.p99 ?? Number.NaN,
    goal: { kind: 'none' }, target: '-',
  });
  if (shimUsage !== undefined) {
    rows.push({
      part: 'dns', what: 'dns-shim RSS at max rate', unit: 'MiB', value: shimUsage.rssMaxMiB,
      goal: { kind: 'none' }, target: '-', note: `CPU ${shimUsage.cpuCores.toFixed(2)} cores`,
    });
  }
  return rows;
}

function optionalNote(note: string | undefined): { note?: string } {
  return note === undefined ? {} : { note };
}

function dnsTable(m: Record<'mesh' | 'forwarded', Record<Server, Measured>>, shimUsage: ProcessUsage | undefined): string {
  const rows: string[][] = [];
  for (const set of ['mesh', 'forwarded'] as const) {
    for (const server of ['dnsmasq', 'dns-shim'] as const) {
      const r = m[set][server];
      const l = r.latency.latencyMs;
      rows.push([
        set === 'mesh' ? 'mesh names' : 'cached forwarded',
        server,
        formatNumber(r.throughput.queriesPerSecond),
        formatNumber(r.throughput.averageLatencyMs),
        formatNumber(l?.p50),
        formatNumber(l?.p99),
        String(r.throughput.lost + r.latency.lost + r.throughput.failures + r.latency.failures),
      ]);
    }
  }
  const usage =
    shimUsage === undefined
      ? ''
      : `\n\ndns-shim under max-rate load: RSS max ${formatNumber(shimUsage.rssMaxMiB)} MiB, CPU ${shimUsage.cpuCores.toFixed(2)} cores`;
  return (
    markdownTable(
      ['names', 'server', 'q/s (max rate)', 'avg ms (max rate)', `p50 ms @${LATENCY_QPS}/s`, `p99 ms @${LATENCY_QPS}/s`, 'lost+failed'],
      rows,
    ) + usage
  );
}
