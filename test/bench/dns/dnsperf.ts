import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToCompletion } from '../lib/children.js';
import { summarize, type LatencySummary } from '../lib/stats.js';

export interface DnsperfOptions {
  server: { host: string; port: number };
  /** Lines of the data file: `name TYPE`. */
  queries: readonly string[];
  durationSeconds: number;
  /** `-Q`: a fixed query rate (latency runs); unset: as fast as the server answers (throughput runs). */
  maxQps?: number;
  /** `-v` per-query output, parsed into percentiles. */
  perQueryLatency?: boolean;
}

export interface DnsperfResult {
  sent: number;
  completed: number;
  lost: number;
  queriesPerSecond: number;
  /** Response codes other than NOERROR, counted. */
  failures: number;
  averageLatencyMs: number;
  /** With `perQueryLatency` only. */
  latencyMs?: LatencySummary;
}

function field(stdout: string, label: string): number {
  const m = new RegExp(`${label}:\\s+([0-9.]+)`).exec(stdout);
  if (m?.[1] === undefined) throw new Error(`dnsperf output has no "${label}":\n${stdout.slice(-2000)}`);
  return Number(m[1]);
}

/** Parses dnsperf 2.x's statistics block and, with -v, its `> RCODE name TYPE seconds` lines. */
export function parseDnsperf(stdout: string, perQuery: boolean): DnsperfResult {
  const codes = /Response codes:\s+(.+)/.exec(stdout)?.[1] ?? '';
  let failures = 0;
  for (const m of codes.matchAll(/([A-Z]+) (\d+)/g)) if (m[1] !== 'NOERROR') failures += Number(m[2]);
  const result: DnsperfResult = {
    sent: field(stdout, 'Queries sent'),
    completed: field(stdout, 'Queries completed'),
    lost: field(stdout, 'Queries lost'),
    queriesPerSecond: field(stdout, 'Queries per second'),
    failures,
    averageLatencyMs: field(stdout, 'Average Latency \\(s\\)') * 1000,
  };
  if (perQuery) {
    const latencies: number[] = [];
    for (const m of stdout.matchAll(/^> \S+ \S+ \S+ ([0-9.]+)$/gm)) latencies.push(Number(m[1]) * 1000);
    result.latencyMs = summarize(latencies);
  }
  return result;
}

export async function runDnsperf(options: DnsperfOptions): Promise<DnsperfResult> {
  const dataFile = join(mkdtempSync(join(tmpdir(), 'meshplug-dnsperf-')), 'queries.txt');
  writeFileSync(dataFile, `${options.queries.join('\n')}\n`);
  const args = [
    '-s', options.server.host,
    '-p', String(options.server.port),
    '-d', dataFile,
    '-l', String(options.durationSeconds),
    '-t', '2',
    ...(options.maxQps === undefined ? [] : ['-Q', String(options.maxQps)]),
    ...(options.perQueryLatency === true ? ['-v'] : []),
  ];
  const { code, stdout, stderr } = await runToCompletion('dnsperf', args, (options.durationSeconds + 30) * 1000);
  if (code !== 0) throw new Error(`dnsperf exited with ${code}: ${stderr}`);
  return parseDnsperf(stdout, options.perQueryLatency === true);
}
