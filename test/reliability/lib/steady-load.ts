import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';

/** Where and how fast {@link SteadyLoad} sends. */
export interface SteadyLoadOptions {
  /** `http://<vip>:<port>`: what the app connects to after dns-shim resolved the name. */
  origin: string;
  /** Host header: the name the app used (`tomcat:8080`). */
  host: string;
  path?: string;
  /** Requests per second, held whatever the answers do (open loop). */
  rate: number;
  /** Hard bound on the run, ms; stop() usually ends it earlier. */
  maxDurationMs: number;
  /** Keep-alive connections of the app's pool. Default 64. */
  connections?: number;
  /** Bound on one request, ms. Default 10000. */
  timeoutMs?: number;
}

/** One answered (or failed) request. */
export interface LoadSample {
  /** When it was sent, ms since start. */
  at: number;
  latencyMs: number;
  /** HTTP status, or 0 when no response came. */
  status: number;
  /** The pod that answered (the demo app's body), for 200s. */
  backend?: string;
  /** The error body or message of a failure. */
  detail?: string;
}

export interface LoadReport {
  sent: number;
  ok: number;
  failed: number;
  /** Offered rate actually achieved, per second. */
  rate: number;
  /** From start to stop() (the wait for the last answers not included). */
  durationMs: number;
  samples: LoadSample[];
}

/**
 * Idempotent GETs at a steady rate through the mesh, as an app with a
 * connection pool would send them: ticks every millisecond and sends what is
 * due, so a slow tick catches up instead of lowering the rate. Bounded in
 * time (maxDurationMs) and in flight (the pool); every request is accounted
 * for once stop() resolves.
 */
export class SteadyLoad {
  private readonly pool: Pool;
  private readonly samples: LoadSample[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly begin = performance.now();
  private stopping = false;
  private stoppedAt = 0;
  private paused = false;
  private sent = 0;
  private readonly loop: Promise<void>;

  constructor(private readonly options: SteadyLoadOptions) {
    this.pool = new Pool(options.origin, {
      connections: options.connections ?? 64,
      pipelining: 1,
      headersTimeout: options.timeoutMs ?? 10_000,
      bodyTimeout: options.timeoutMs ?? 10_000,
    });
    this.loop = this.run();
  }

  /** ms since the load started. */
  now(): number {
    return performance.now() - this.begin;
  }

  /** Requests answered so far (a snapshot). */
  answered(): readonly LoadSample[] {
    return this.samples;
  }

  /** Stops sending (in-flight requests still finish) until resume(). */
  pause(): Promise<void> {
    this.paused = true;
    return this.settle();
  }

  resume(): void {
    this.paused = false;
  }

  async stop(): Promise<LoadReport> {
    this.stopping = true;
    this.stoppedAt = this.now();
    await this.loop;
    await this.settle();
    await this.pool.close();
    const durationMs = this.stoppedAt;
    const ok = this.samples.filter((s) => s.status === 200).length;
    return { sent: this.sent, ok, failed: this.samples.length - ok, rate: this.sent / (durationMs / 1000), durationMs, samples: this.samples };
  }

  private async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    let due = 0;
    let last = this.now();
    while (!this.stopping && this.now() < this.options.maxDurationMs) {
      const now = this.now();
      // Paused time owes nothing: the schedule restarts from the resume.
      if (!this.paused) due += ((now - last) / 1000) * this.options.rate;
      last = now;
      while (due >= 1) {
        due -= 1;
        this.fire();
      }
      await delay(1);
    }
  }

  private fire(): void {
    this.sent++;
    const at = this.now();
    const done = this.pool
      .request({ method: 'GET', path: this.options.path ?? '/', headers: { host: this.options.host } })
      .then(async (res) => {
        const body = await res.body.text();
        const sample: LoadSample = { at, latencyMs: this.now() - at, status: res.statusCode };
        if (res.statusCode === 200) sample.backend = body.trim();
        else sample.detail = body.slice(0, 300);
        this.samples.push(sample);
      })
      .catch((err: unknown) => {
        this.samples.push({ at, latencyMs: this.now() - at, status: 0, detail: `${(err as Error).name}: ${(err as Error).message}` });
      })
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }
}

/** Counts of 200 answers per backend among `samples`. */
export function perBackend(samples: readonly LoadSample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of samples) if (s.backend !== undefined) counts[s.backend] = (counts[s.backend] ?? 0) + 1;
  return counts;
}

/** `{ "200": n, "503": m, "error": k }` for a report line. */
export function statusCounts(samples: readonly LoadSample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of samples) {
    const key = s.status === 0 ? 'error' : String(s.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The first few failures, for an assertion message. */
export function firstFailures(samples: readonly LoadSample[], n = 5): string[] {
  return samples
    .filter((s) => s.status !== 200)
    .slice(0, n)
    .map((s) => `at ${Math.round(s.at)} ms: ${s.status === 0 ? 'no response' : `HTTP ${s.status}`} ${s.detail ?? ''}`);
}
