import { MeshProxyErrors } from '../errors.js';
import { PendingQueue, type PolicyTimers } from './pending-queue.js';

/** Envoy circuit-breaker thresholds of one upstream cluster (Rainbond's per-port keys). */
export interface CircuitBreakerLimits {
  /** `MaxConnections`: upstream connections open at once, over all endpoints. */
  maxConnections: number;
  /** `MaxPendingRequests`: requests waiting for a connection. */
  maxPendingRequests: number;
  /** `MaxRequests`: requests outstanding at once. */
  maxRequests: number;
  /** `MaxActiveRetries`: retries outstanding at once. */
  maxActiveRetries: number;
}

/** The four resources a breaker counts. */
export interface CircuitBreakerCounts {
  connections: number;
  pending: number;
  requests: number;
  retries: number;
}

/** For `/clusters` and `/stats`: limits, what is in use, and how often each limit refused (Envoy `*_overflow`). */
export interface CircuitBreakerSnapshot {
  limits: Readonly<CircuitBreakerLimits>;
  active: CircuitBreakerCounts;
  overflows: CircuitBreakerCounts;
}

/** How `acquireConnection` ended; only 'acquired' holds a connection slot to release. */
export type AcquireOutcome = 'acquired' | 'overflow' | 'timeout' | 'aborted';

const LIMIT_MAX = 1_000_000_000;

function resolveLimits(limits: CircuitBreakerLimits): Readonly<CircuitBreakerLimits> {
  const check = (field: keyof CircuitBreakerLimits): number => {
    const v = limits[field];
    if (!Number.isInteger(v) || v < 0 || v > LIMIT_MAX) {
      throw new MeshProxyErrors.MESH_ERR_INVALID_OPTIONS(`circuit breaker ${field}: ${String(v)}`);
    }
    return v;
  };
  return Object.freeze({
    maxConnections: check('maxConnections'),
    maxPendingRequests: check('maxPendingRequests'),
    maxRequests: check('maxRequests'),
    maxActiveRetries: check('maxActiveRetries'),
  });
}

/**
 * Envoy-style circuit breaker: plain counters with limits, no open/half-open
 * states. `tryAcquire*` returns false (and counts an overflow) when the limit
 * is reached; every successful acquire must be released exactly once.
 * Releasing more than was acquired is clamped at zero rather than thrown,
 * because it happens on error paths where throwing would lose the response.
 */
export class CircuitBreaker {
  private limits: Readonly<CircuitBreakerLimits>;
  /** `pending` here counts only `tryAcquirePending` holders; queued waiters are `queue.length`. */
  private readonly active: CircuitBreakerCounts = { connections: 0, pending: 0, requests: 0, retries: 0 };
  private readonly overflows: CircuitBreakerCounts = { connections: 0, pending: 0, requests: 0, retries: 0 };
  private readonly queue: PendingQueue;

  constructor(limits: CircuitBreakerLimits, deps: { timers?: PolicyTimers } = {}) {
    this.limits = resolveLimits(limits);
    this.queue = new PendingQueue(deps.timers);
  }

  /** New limits from a config change. Work in flight is never cut; a raised connection limit serves waiters at once. */
  setLimits(limits: CircuitBreakerLimits): void {
    this.limits = resolveLimits(limits);
    while (this.active.connections < this.limits.maxConnections && this.queue.grant()) this.active.connections += 1;
  }

  tryAcquireConnection(): boolean {
    if (this.active.connections >= this.limits.maxConnections) {
      this.overflows.connections += 1;
      return false;
    }
    this.active.connections += 1;
    return true;
  }

  /** Frees a connection slot, handing it straight to the oldest waiter of `acquireConnection` if any. */
  releaseConnection(): void {
    if (this.active.connections === 0) return;
    // Over the limit (it was lowered) the slot is given up instead of handed over.
    if (this.active.connections <= this.limits.maxConnections && this.queue.grant()) return;
    this.active.connections -= 1;
  }

  /**
   * A connection slot now, or after waiting in the FIFO pending queue
   * (bounded by MaxPendingRequests) for at most `timeoutMs`. 'overflow' when
   * the queue is full. Only 'acquired' must be followed by `releaseConnection`.
   */
  async acquireConnection(timeoutMs: number, signal?: AbortSignal): Promise<AcquireOutcome> {
    if (this.tryAcquireConnection()) return 'acquired';
    if (this.pending() >= this.limits.maxPendingRequests) {
      this.overflows.pending += 1;
      return 'overflow';
    }
    return this.queue.wait(timeoutMs, signal);
  }

  /**
   * For callers whose connection pool queues by itself (undici): count a
   * request waiting for a connection; false when MaxPendingRequests is reached.
   */
  tryAcquirePending(): boolean {
    if (this.pending() >= this.limits.maxPendingRequests) {
      this.overflows.pending += 1;
      return false;
    }
    this.active.pending += 1;
    return true;
  }

  releasePending(): void {
    if (this.active.pending > 0) this.active.pending -= 1;
  }

  tryAcquireRequest(): boolean {
    if (this.active.requests >= this.limits.maxRequests) {
      this.overflows.requests += 1;
      return false;
    }
    this.active.requests += 1;
    return true;
  }

  releaseRequest(): void {
    if (this.active.requests > 0) this.active.requests -= 1;
  }

  tryAcquireRetry(): boolean {
    if (this.active.retries >= this.limits.maxActiveRetries) {
      this.overflows.retries += 1;
      return false;
    }
    this.active.retries += 1;
    return true;
  }

  releaseRetry(): void {
    if (this.active.retries > 0) this.active.retries -= 1;
  }

  /** Ends every wait for a connection with 'aborted' (drain, cluster removed). */
  abortWaiters(): void {
    this.queue.clear();
  }

  snapshot(): CircuitBreakerSnapshot {
    return { limits: this.limits, active: { ...this.active, pending: this.pending() }, overflows: { ...this.overflows } };
  }

  private pending(): number {
    return this.active.pending + this.queue.length;
  }
}
