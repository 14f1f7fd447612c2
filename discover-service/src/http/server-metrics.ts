import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the gauges read when scraped. */
export interface MetricsSources {
  /** Long polls held now. */
  waiters(): number;
  /** Rejected objects and source problems now. */
  configErrors(): number;
  /** Sidecars with a poll held open now. */
  connectedProxies(): number;
}

/** How an access-controlled config read was decided. */
export type AccessDecision = 'allowed' | 'unauthenticated' | 'forbidden' | 'unavailable';

/** Which document a config push delivered. */
export type DocumentKind = 'mesh' | 'resources';

/**
 * The server's Prometheus metrics, in a Registry of its own so several servers
 * (tests, replicas in one process) never share or double-register series.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #durations: Histogram<'method' | 'route' | 'status'>;
  readonly #pushes: Counter<'kind' | 'trigger'>;
  readonly #access: Counter<'decision'>;

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.#requests = new Counter({
      name: 'meshplug_http_requests_total',
      help: 'HTTP requests answered, by route template and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.#durations = new Histogram({
      name: 'meshplug_http_request_duration_seconds',
      help: 'Time to answer HTTP requests (long polls include their wait), by route template and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60],
      registers,
    });
    this.#pushes = new Counter({
      name: 'meshplug_config_pushes_total',
      help: 'New config versions sent to pollers that held an older one; trigger is immediate or change (a held poll woken).',
      labelNames: ['kind', 'trigger'],
      registers,
    });
    this.#access = new Counter({
      name: 'meshplug_access_decisions_total',
      help: 'Config reads checked by --auth tokenreview: allowed, unauthenticated (401), forbidden (403), unavailable (503).',
      labelNames: ['decision'],
      registers,
    });
    new Gauge({
      name: 'meshplug_longpoll_waiters',
      help: 'Long polls held open now.',
      registers,
      collect() {
        this.set(sources.waiters());
      },
    });
    new Gauge({
      name: 'meshplug_config_errors',
      help: 'Rejected objects and source problems now (see /v1/errors).',
      registers,
      collect() {
        this.set(sources.configErrors());
      },
    });
    new Gauge({
      name: 'meshplug_proxies_connected',
      help: 'Sidecars with a config poll held open now.',
      registers,
      collect() {
        this.set(sources.connectedProxies());
      },
    });
  }

  /** One access-control decision on a config read. */
  countAccess(decision: AccessDecision): void {
    this.#access.inc({ decision });
  }

  /** One answered request; `route` is the route template (`/v1/mesh/:ns/:service`), not the URL. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.#requests.inc(labels);
    this.#durations.observe(labels, seconds);
  }

  /** A poller that held an older version got a new one. */
  countPush(kind: DocumentKind, trigger: 'immediate' | 'change'): void {
    this.#pushes.inc({ kind, trigger });
  }
}
