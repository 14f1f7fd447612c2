import {
  parseTrafficPolicy,
  type LbPolicy,
  type Logger,
  type TrafficPolicy,
  type ValidationIssue,
} from '@meshplug/plugin-api';
import { createBalancer, type Balancer } from '../balancers/balancer.js';
import type { ClusterSpec } from '../config/listener-specs.js';
import type { ClusterCounters } from '../metrics/cluster-counters.js';
import type { ProxyMetrics } from '../metrics/proxy-metrics.js';
import type { ProxyTimers } from '../options/proxy-options.js';
import { CircuitBreaker, type CircuitBreakerLimits, type CircuitBreakerSnapshot } from '../policy/circuit-breaker.js';
import { excludeTried, healthyExclude, inPanic } from '../policy/healthy-set.js';
import { OutlierDetector } from '../policy/outlier-detector.js';
import { RetryBudget } from '../policy/retry-budget.js';
import { compileRetryOn, isRetryable, type AttemptOutcome, type RetryOnPolicy } from '../policy/retry-on.js';
import { UpstreamEndpoint } from './upstream-endpoint.js';

export interface UpstreamClusterDeps {
  logger: Logger;
  metrics: ProxyMetrics;
  timers: ProxyTimers;
  now: () => number;
  random: () => number;
}

/** How one request or connection on an endpoint ended, for health and balancing. */
export type AttemptResult = 'ok' | 'failure' | 'cancelled';

/** One endpoint as `/clusters` shows it. */
export interface EndpointStatus {
  id: string;
  address: string;
  port: number;
  weight: number;
  health: 'healthy' | 'ejected';
  ejectedUntil: number | null;
  consecutiveFailures: number;
  ejectionCount: number;
  active: number;
  total: number;
  errors: number;
}

export interface ClusterStatus {
  name: string;
  lbPolicy: LbPolicy;
  panic: boolean;
  endpoints: EndpointStatus[];
  circuitBreaker: CircuitBreakerSnapshot;
  retryBudget: { retriesAllowed: number; retriesDenied: number };
  optionIssues: ValidationIssue[];
}

function breakerLimits(p: TrafficPolicy): CircuitBreakerLimits {
  return {
    maxConnections: p.maxConnections,
    maxPendingRequests: p.maxPendingRequests,
    maxRequests: p.maxRequests,
    maxActiveRetries: p.maxActiveRetries,
  };
}

function outlierSettings(p: TrafficPolicy): { consecutiveErrors: number; baseEjectionTimeMs: number; maxEjectionPercent: number } {
  return { consecutiveErrors: p.consecutiveErrors, baseEjectionTimeMs: p.baseEjectionTimeMs, maxEjectionPercent: p.maxEjectionPercent };
}

/**
 * Everything the proxy knows about one upstream cluster: its endpoints, the
 * balancer, outlier ejection, circuit breaker and retry budget, all built from
 * the per-port options. `update` applies a new version in place, so the next
 * request or connection sees it while work in flight keeps its endpoint.
 */
export class UpstreamCluster {
  readonly name: string;
  policy: TrafficPolicy;
  retryOn: RetryOnPolicy;
  /** True when Domains, Prefix and Headers are the defaults: every origin-form (`/...`) target matches without a check. */
  routesAll = true;
  /** Hot-path counters, exported by the metrics at scrape time. */
  readonly stats: ClusterCounters;
  readonly breaker: CircuitBreaker;
  readonly retryBudget: RetryBudget;
  private readonly outlier: OutlierDetector;
  private balancer: Balancer<UpstreamEndpoint>;
  private endpoints = new Map<string, UpstreamEndpoint>();
  private issues: ValidationIssue[] = [];
  private readonly log: Logger;

  constructor(
    spec: ClusterSpec,
    private readonly deps: UpstreamClusterDeps,
  ) {
    this.name = spec.name;
    this.stats = deps.metrics.cluster(spec.name);
    this.log = deps.logger.child({ cluster: spec.name });
    const parsed = this.parse(spec.options);
    this.policy = parsed;
    this.retryOn = this.compileRetryOn(parsed);
    this.breaker = new CircuitBreaker(breakerLimits(parsed), { timers: deps.timers });
    this.outlier = new OutlierDetector({ ...outlierSettings(parsed), now: deps.now });
    this.retryBudget = new RetryBudget({ now: deps.now });
    this.balancer = createBalancer<UpstreamEndpoint>(spec.policy, { random: deps.random, now: deps.now });
    this.setEndpoints(spec);
  }

  /** The endpoints now eligible, ids in order. */
  get endpointIds(): string[] {
    return [...this.endpoints.keys()];
  }

  get size(): number {
    return this.endpoints.size;
  }

  update(spec: ClusterSpec): void {
    const parsed = this.parse(spec.options);
    this.policy = parsed;
    this.retryOn = this.compileRetryOn(parsed);
    this.breaker.setLimits(breakerLimits(parsed));
    this.outlier.reconfigure(outlierSettings(parsed));
    if (spec.policy !== this.balancer.policy) {
      this.balancer = createBalancer<UpstreamEndpoint>(spec.policy, { random: this.deps.random, now: this.deps.now });
    }
    this.setEndpoints(spec);
  }

  /**
   * The endpoint for the next attempt: ejected endpoints are skipped unless
   * too few are healthy (panic), and a retry avoids the endpoints it tried.
   */
  pick(tried?: ReadonlySet<string>): UpstreamEndpoint | undefined {
    const base = healthyExclude(this.outlier, this.policy.healthyPanicThreshold);
    if (tried !== undefined && tried.size > 0) {
      const other = this.balancer.pick(excludeTried(base, tried));
      if (other !== undefined) return other;
    }
    return this.balancer.pick(base);
  }

  onStart(e: UpstreamEndpoint): void {
    e.active += 1;
    e.total += 1;
    this.balancer.onStart(e);
  }

  onEnd(e: UpstreamEndpoint, latencyMs: number, result: AttemptResult): void {
    if (e.active > 0) e.active -= 1;
    this.balancer.onEnd(e, latencyMs, result !== 'failure');
    if (result === 'ok') this.outlier.recordSuccess(e.id);
    if (result !== 'failure') return;
    e.errors += 1;
    if (this.outlier.recordFailure(e.id)) {
      this.stats.ejections += 1;
      this.log.warn({ endpoint: e.id, consecutiveErrors: this.policy.consecutiveErrors }, 'endpoint ejected');
    }
  }

  /**
   * Whether a request gets another attempt after `outcome`: RetryOn matches,
   * the method and body allow it, retries are left, and both MaxActiveRetries
   * and the retry budget have room. Takes a retry slot (release it with
   * `breaker.releaseRetry()` after that attempt) when it says yes.
   */
  tryRetry(method: string, attempts: number, outcome: AttemptOutcome, replayable: boolean): boolean {
    if (attempts > this.policy.retries || !isRetryable(method, outcome, this.retryOn, replayable)) return false;
    if (!this.breaker.tryAcquireRetry()) return false;
    if (!this.retryBudget.tryRetry()) {
      this.breaker.releaseRetry();
      return false;
    }
    this.stats.retries += 1;
    return true;
  }

  status(): ClusterStatus {
    const outlier = this.outlier.snapshot();
    const hosts = new Map(outlier.hosts.map((h) => [h.id, h]));
    return {
      name: this.name,
      lbPolicy: this.balancer.policy,
      panic: inPanic(this.outlier.size, outlier.ejectedCount, this.policy.healthyPanicThreshold),
      endpoints: [...this.endpoints.values()].map((e) => {
        const h = hosts.get(e.id);
        return {
          id: e.id,
          address: e.address,
          port: e.port,
          weight: e.weight,
          health: h?.ejected ? 'ejected' : 'healthy',
          ejectedUntil: h?.ejectedUntil ?? null,
          consecutiveFailures: h?.consecutiveFailures ?? 0,
          ejectionCount: h?.ejectionCount ?? 0,
          active: e.active,
          total: e.total,
          errors: e.errors,
        };
      }),
      circuitBreaker: this.breaker.snapshot(),
      retryBudget: this.retryBudget.stats(),
      optionIssues: this.issues,
    };
  }

  /** Ends waits for a connection slot (the cluster is going away). */
  close(): void {
    this.breaker.abortWaiters();
  }

  private setEndpoints(spec: ClusterSpec): void {
    const next = new Map<string, UpstreamEndpoint>();
    for (const m of spec.endpoints) {
      const id = `${m.address}:${m.port}`;
      if (next.has(id)) continue;
      const e = this.endpoints.get(id) ?? new UpstreamEndpoint(m.address, m.port, m.weight);
      e.weight = m.weight;
      next.set(id, e);
    }
    this.endpoints = next;
    const list = [...next.values()];
    this.balancer.update(list);
    this.outlier.update(next.keys());
  }

  private parse(options: Readonly<Record<string, string>>): TrafficPolicy {
    const { policy, issues } = parseTrafficPolicy(options);
    if (issues.length > 0 && JSON.stringify(issues) !== JSON.stringify(this.issues)) {
      this.log.warn({ issues }, 'invalid traffic options; their defaults apply');
    }
    this.issues = issues;
    this.routesAll = policy.headers.length === 0 && policy.domains.includes('*') && policy.prefix === '/';
    return policy;
  }

  private compileRetryOn(p: TrafficPolicy): RetryOnPolicy {
    return compileRetryOn(p.retryOn.map(String)).policy;
  }
}
