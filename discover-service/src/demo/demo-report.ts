import type { CliIo } from '../cli/cli-io.js';
import { formatTable } from '../cli/table.js';
import type { DemoPod } from './demo-manifest.js';
import type { TrafficResult } from './traffic/send-requests.js';

/** Prints the demo's progress: one line per step, `[ok]` or `[FAIL]`. */
export class DemoReport {
  constructor(private readonly io: CliIo) {}

  ok(text: string): void {
    this.io.stdout.write(`[ok]   ${text}\n`);
  }

  fail(text: string): void {
    this.io.stdout.write(`[FAIL] ${text}\n`);
  }

  section(title: string, body: string): void {
    this.io.stdout.write(`\n${title}\n${body}${body.endsWith('\n') ? '' : '\n'}`);
  }

  line(text: string): void {
    this.io.stdout.write(`${text}\n`);
  }
}

/** The statuses of a run: `30 x 200` or `28 x 200, 2 x error`. */
export function formatStatuses(result: TrafficResult): string {
  return [...result.statuses].map(([status, n]) => `${n} x ${status}`).join(', ');
}

/** How the requests spread over the backends: one row per backend pod, then any unknown answerer. */
export function formatSpread(backends: readonly DemoPod[], result: TrafficResult): string {
  const ok = [...result.backends.values()].reduce((a, b) => a + b, 0);
  const share = (n: number): string => (ok === 0 ? '-' : `${Math.round((100 * n) / ok)}%`);
  const rows = backends.map((p) => {
    const n = result.backends.get(p.name) ?? 0;
    return [p.name, [...p.ports].map(([app, outer]) => `${p.address}:${outer} -> :${app}`).join(', '), String(n), share(n)];
  });
  for (const [name, n] of result.backends) {
    if (!backends.some((p) => p.name === name)) rows.push([name, '(not a demo pod)', String(n), share(n)]);
  }
  return formatTable(['BACKEND', 'SIDECAR -> APP', 'REQUESTS', 'SHARE'], rows);
}
