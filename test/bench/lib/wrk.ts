import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToCompletion } from './children.js';

/** One wrk run: closed-loop HTTP/1.1 keep-alive load. */
export interface WrkOptions {
  url: string;
  /** Open connections, each with one request in flight. */
  connections: number;
  /** wrk threads; 1 leaves the second core to the server side. */
  threads: number;
  durationSeconds: number;
}

export interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  /** Socket errors, non-2xx/3xx answers and timeouts, summed. */
  errors: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
}

const MARKER = 'WRK_JSON ';

// wrk prints only a few fixed percentiles; its Lua `done` hook can read the full histogram.
const DONE_SCRIPT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '${MARKER}{"requests":%d,"durationUs":%d,"errors":%d,"mean":%f,"p50":%d,"p90":%d,"p99":%d,"max":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`;

let scriptPath: string | undefined;

function doneScript(): string {
  if (scriptPath === undefined) {
    scriptPath = join(mkdtempSync(join(tmpdir(), 'meshplug-wrk-')), 'done.lua');
    writeFileSync(scriptPath, DONE_SCRIPT);
  }
  return scriptPath;
}

/** Parses the JSON line the `done` script prints. */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
  if (line === undefined) throw new Error(`wrk printed no result line:\n${stdout}`);
  const raw = JSON.parse(line.slice(MARKER.length)) as {
    requests: number;
    durationUs: number;
    errors: number;
    mean: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
  };
  const ms = (us: number): number => us / 1000;
  return {
    requests: raw.requests,
    requestsPerSecond: raw.requests / (raw.durationUs / 1e6),
    errors: raw.errors,
    latencyMs: { mean: ms(raw.mean), p50: ms(raw.p50), p90: ms(raw.p90), p99: ms(raw.p99), max: ms(raw.max) },
  };
}

export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.durationSeconds}s`,
    '--timeout',
    '5s',
    '-s',
    doneScript(),
    options.url,
  ];
  const { code, stdout, stderr } = await runToCompletion('wrk', args, (options.durationSeconds + 30) * 1000);
  if (code !== 0) throw new Error(`wrk exited with ${code}: ${stderr}${stdout}`);
  return parseWrkOutput(stdout);
}
