/**
 * `npm run bench [-- proxy|dns|discover ...] [--seconds N] [--rounds N]`: the benchmarks of issues 2,
 * 3 and 4, each side by side with its anchor (HAProxy, dnsmasq) in one run, and one table with the
 * ratios and the targets of issue 6. Not a test: never run by `npm test`; loopback only; bounded.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { BenchPart, BenchRow } from './lib/bench-row.js';
import { formatMachine, machineInfo } from './lib/machine.js';
import type { BenchPartRunner, PartSettings } from './lib/part.js';
import { RESULTS_PATH, recordPart } from './lib/results-file.js';
import { resultsTable } from './lib/table.js';

const PARTS: Record<BenchPart, () => Promise<BenchPartRunner>> = {
  proxy: async () => (await import('./proxy/proxy-bench.js')).runProxyBench,
  dns: async () => (await import('./dns/dns-bench.js')).runDnsBench,
  discover: async () => (await import('./discover/discover-bench.js')).runDiscoverBench,
};

const USAGE = `usage: npm run bench [-- [proxy|dns|discover ...] [--seconds N] [--rounds N]]
  parts     default: all three, in this order: proxy, dns, discover
  --seconds length of each measured load run, 2..60 (default 8)
  --rounds  runs of each throughput comparison, anchors and meshplug interleaved; best counts, 1..5 (default 2)
`;

function boundedInteger(text: string | undefined, fallback: number, min: number, max: number, flag: string): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} ${text}: must be an integer ${min}..${max}`);
  return n;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { seconds: { type: 'string' }, rounds: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = positionals.filter((p) => !(p in PARTS));
  if (unknown.length > 0) {
    process.stderr.write(`unknown part(s): ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const parts = (positionals.length === 0 ? Object.keys(PARTS) : positionals) as BenchPart[];
  const settings: PartSettings = {
    seconds: boundedInteger(values.seconds, 8, 2, 60, '--seconds'),
    rounds: boundedInteger(values.rounds, 2, 1, 5, '--rounds'),
    log: (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`),
  };
  const machine = await machineInfo();
  process.stdout.write(`${formatMachine(machine)}\n\n`);

  const rows: BenchRow[] = [];
  const failures: string[] = [];
  for (const part of parts) {
    settings.log(`${part}: starting`);
    try {
      const run = await PARTS[part]();
      // Other work on the machine skews every figure; the load average says how much there was.
      const loadBefore = loadavg()[0] ?? 0;
      const result = await run(settings);
      const load = `load average (1 min) before ${loadBefore.toFixed(2)}, after ${(loadavg()[0] ?? 0).toFixed(2)}`;
      rows.push(...result.rows);
      recordPart(machine, part, result.rows, { load, ...(result.details as object) });
      process.stdout.write(`## ${part}\n\n${result.table}\n\n${load}\n\n`);
    } catch (err) {
      // One broken part (a missing tool, a component that does not start) must not hide the others.
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push(`${part}: ${message}`);
      process.stdout.write(`## ${part}\n\nFAILED: ${message}\n\n`);
    }
  }

  process.stdout.write(`## meshplug vs anchors (${parts.join(', ')}; ${settings.seconds} s runs, best of ${settings.rounds})\n\n`);
  process.stdout.write(`${resultsTable(rows)}\n\n${formatMachine(machine)}\nresults: ${RESULTS_PATH}\n`);
  if (failures.length > 0) process.stderr.write(`failed parts:\n${failures.join('\n')}\n`);
  return failures.length > 0 ? 1 : 0;
}

// Exit explicitly: a keep-alive pool or a forgotten timer must not keep a finished run alive.
process.exit(await main());
