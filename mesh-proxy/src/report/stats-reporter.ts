import type { DiscoverClient, Logger } from '@meshplug/plugin-api';
import type { ProxyTimers } from '../options/proxy-options.js';
import type { ReportBuilder } from './report-builder.js';

/** Where reports go on discover-service. */
export const REPORT_PATH = '/v1/proxies/report';

/** Longest a report may take before it is given up (and retried next period). */
const MAX_REPORT_TIMEOUT_MS = 10_000;

export interface StatsReporterDeps {
  /** Seconds between reports; 0 turns reporting off. */
  intervalSeconds: number;
  /** The config follower's client: its base URL, identity headers, token and transport are reused. */
  client: DiscoverClient;
  builder: ReportBuilder;
  /** Sent as `x-meshplug-applied-version`, as on the long poll; nothing is reported before the first apply. */
  appliedVersion(): string | undefined;
  timers: ProxyTimers;
  logger: Logger;
}

/**
 * Every `intervalSeconds`, POSTs the traffic summary to discover-service's `/v1/proxies/report`.
 * Works from the counters at report time, never on the request path; never throws: a failed
 * report is logged at debug and the next period sends fresh totals (latency since the last one
 * that got through). One report at a time; the next period starts when the previous one ended.
 */
export class StatsReporter {
  readonly #deps: StatsReporterDeps;
  readonly #log: Logger;
  #timer: unknown;
  #inFlight: Promise<boolean> | undefined;
  #abort: AbortController | undefined;
  #stopped = false;

  constructor(deps: StatsReporterDeps) {
    this.#deps = deps;
    this.#log = deps.logger.child({ component: 'stats-reporter' });
  }

  /** Schedules the first report one period from now; does nothing when reporting is off. */
  start(): void {
    if (this.#deps.intervalSeconds > 0 && !this.#stopped) this.#schedule();
  }

  /** Stops scheduling, aborts a report in flight and waits for it to end; idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#deps.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abort?.abort();
    await this.#inFlight;
  }

  /** Sends one report now (unless one is under way); resolves whether discover-service accepted it. */
  reportNow(): Promise<boolean> {
    this.#inFlight ??= this.#send().finally(() => {
      this.#inFlight = undefined;
      this.#abort = undefined;
    });
    return this.#inFlight;
  }

  #schedule(): void {
    this.#timer = this.#deps.timers.setTimeout(() => {
      this.#timer = undefined;
      void this.reportNow().then(() => {
        if (!this.#stopped) this.#schedule();
      });
    }, this.#deps.intervalSeconds * 1000);
  }

  async #send(): Promise<boolean> {
    const { client, timers } = this.#deps;
    const applied = this.#deps.appliedVersion();
    if (applied === undefined) return false;
    const url = client.url(REPORT_PATH);
    const abort = new AbortController();
    this.#abort = abort;
    const timeoutMs = Math.min(this.#deps.intervalSeconds * 1000 || MAX_REPORT_TIMEOUT_MS, MAX_REPORT_TIMEOUT_MS);
    const timer = timers.setTimeout(() => abort.abort(), timeoutMs);
    try {
      const built = this.#deps.builder.build();
      const headers: Record<string, string> = { ...client.options.headers, 'content-type': 'application/json', 'x-meshplug-applied-version': applied };
      const token = client.options.token();
      if (token !== undefined && token !== '') headers.authorization = `Bearer ${token}`;
      const res = await client.options.transport.send({ method: 'POST', url, headers, body: JSON.stringify(built.report), signal: abort.signal });
      if (res.status < 200 || res.status > 299) {
        this.#log.debug({ status: res.status, body: res.text.slice(0, 300) }, 'stats report refused; retrying next period');
        return false;
      }
      built.commit();
      return true;
    } catch (err) {
      this.#log.debug({ err: (err as Error).message, url: url.href }, 'stats report failed; retrying next period');
      return false;
    } finally {
      timers.clearTimeout(timer);
    }
  }
}
