import { Pool } from 'undici';
import { summarize, type LatencySummary } from '../lib/stats.js';
import { sleep } from '../lib/timing.js';

export interface OpenLoopOptions {
  url: string;
  /** Requests per second, sent on schedule whatever the answers do (open loop). */
  rate: number;
  durationSeconds: number;
  /** Pool size: enough that a slow answer never delays the schedule. */
  connections?: number;
}

export interface OpenLoopResult {
  sent: number;
  ok: number;
  errors: number;
  /** Offered rate actually achieved. */
  achievedRate: number;
  latencyMs: LatencySummary;
}

/**
 * A bounded fixed-rate load generator (wrk cannot hold a rate and wrk2 is not packaged): ticks every
 * millisecond and sends every request that is due, so late ticks catch up instead of lowering the rate.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const url = new URL(options.url);
  const pool = new Pool(url.origin, { connections: options.connections ?? 64, pipelining: 1 });
  const total = Math.round(options.rate * options.durationSeconds);
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  let inFlight = 0;
  const path = `${url.pathname}${url.search}`;
  const fire = (): void => {
    sent++;
    inFlight++;
    const start = performance.now();
    pool
      .request({ method: 'GET', path })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode === 200) latencies.push(performance.now() - start);
        else errors++;
      })
      .catch(() => {
        errors++;
      })
      .finally(() => {
        inFlight--;
      });
  };
  const begin = performance.now();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - begin) / 1000) * options.rate) + 1);
    while (sent < due) fire();
    await sleep(1);
  }
  const elapsed = (performance.now() - begin) / 1000;
  const drainDeadline = performance.now() + 10_000;
  while (inFlight > 0 && performance.now() < drainDeadline) await sleep(5);
  await pool.destroy();
  return { sent, ok: latencies.length, errors: errors + inFlight, achievedRate: sent / elapsed, latencyMs: summarize(latencies) };
}
