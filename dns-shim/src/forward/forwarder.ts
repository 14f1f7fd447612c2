import type { Logger } from 'pino';
import type { HostPort } from '../config/host-port.js';
import { DnsShimErrors } from '../errors.js';
import type { DnsMetrics } from '../metrics/dns-metrics.js';
import { copyQuestion } from '../wire/build-response.js';
import { inspectResponse } from '../wire/inspect-response.js';
import type { ParsedQuery } from '../wire/parse-query.js';
import { answerBits, type ResponseCache } from './response-cache.js';
import type { UpstreamTransport } from './upstream-transport.js';

/** The shortest upstream attempt worth making, ms. */
const MIN_ATTEMPT_MS = 5;

export interface ForwarderOptions {
  udp: UpstreamTransport;
  tcp: UpstreamTransport;
  cache: ResponseCache;
  metrics: DnsMetrics;
  logger: Logger;
  /** Total time for one question across every upstream and retry, ms. */
  timeoutMs: number;
  /** Time one UDP attempt waits before the next upstream is tried, ms. */
  attemptTimeoutMs: number;
  /** Rounds over the upstream list before giving up (bounds fast failures too). */
  rounds: number;
}

/** A reply to hand to the client after its ID and question case are patched in. */
export interface ForwardResult {
  reply: Buffer;
  source: 'cache' | 'upstream';
  negative: boolean;
}

/**
 * Everything that is not a mesh name: cache, then one shared upstream
 * exchange per distinct question in flight, with a TCP retry when the UDP
 * reply is truncated. The client's message goes out as it came (EDNS0 and
 * all), only its ID changes.
 */
export class Forwarder {
  private upstreams: readonly HostPort[] = [];
  private next = 0;
  private readonly inflight = new Map<string, Promise<{ reply: Buffer; negative: boolean }>>();

  constructor(private readonly options: Readonly<ForwarderOptions>) {}

  setUpstreams(upstreams: readonly HostPort[]): void {
    this.upstreams = Object.freeze([...upstreams]);
  }

  get currentUpstreams(): readonly HostPort[] {
    return this.upstreams;
  }

  /** Number of distinct questions waiting on an upstream. */
  get inflightCount(): number {
    return this.inflight.size;
  }

  /**
   * The cached reply for `query`, patched for this client, or undefined.
   * Synchronous, so a cache hit is answered without a promise.
   */
  fromCache(query: ParsedQuery): Buffer | undefined {
    const hit = this.options.cache.get(query);
    if (hit === undefined) return undefined;
    this.options.metrics.countCacheHit();
    return patch(hit.reply, query);
  }

  /** The reply for `query`; rejects (the caller answers SERVFAIL) when no upstream answered in time. */
  async forward(raw: Buffer, query: ParsedQuery): Promise<ForwardResult> {
    const hit = this.options.cache.get(query);
    if (hit !== undefined) {
      this.options.metrics.countCacheHit();
      return { reply: patch(hit.reply, query), source: 'cache', negative: hit.negative };
    }
    const { metrics } = this.options;
    metrics.countCacheMiss();
    const key = cacheKey(query);
    let shared = this.inflight.get(key);
    if (shared === undefined) {
      shared = this.exchange(raw.subarray(0, query.messageEnd), query).finally(() => this.inflight.delete(key));
      this.inflight.set(key, shared);
    } else {
      metrics.countDeduplicated();
    }
    const result = await shared;
    return { reply: patch(Buffer.from(result.reply), query), source: 'upstream', negative: result.negative };
  }

  /** One upstream exchange for the question of `query` (whose client message is `message`), cached on success. */
  private async exchange(message: Buffer, query: ParsedQuery): Promise<{ reply: Buffer; negative: boolean }> {
    const { udp, tcp, timeoutMs, attemptTimeoutMs, rounds, metrics, cache } = this.options;
    const upstreams = this.upstreams;
    if (upstreams.length === 0) throw new DnsShimErrors.DNS_ERR_NO_UPSTREAM();
    const deadline = performance.now() + timeoutMs;
    const first = this.next++ % upstreams.length;
    let lastError: unknown;
    for (let attempt = 0; attempt < rounds * upstreams.length; attempt++) {
      const remaining = deadline - performance.now();
      // Timers may fire a millisecond early; a sliver of an attempt could never be answered.
      if (remaining < MIN_ATTEMPT_MS) break;
      const upstream = upstreams[(first + attempt) % upstreams.length] as HostPort;
      const started = performance.now();
      let transport = udp;
      try {
        let reply = await udp.exchange(message, upstream, Math.min(attemptTimeoutMs, remaining));
        let info = inspectResponse(reply);
        if (info?.truncated) {
          transport = tcp;
          reply = await tcp.exchange(message, upstream, Math.max(1, deadline - performance.now()));
          info = inspectResponse(reply);
        }
        if (info === undefined) throw new DnsShimErrors.DNS_ERR_UPSTREAM_FAILED('malformed reply');
        metrics.upstreamLatency.labels(transport.name).observe((performance.now() - started) / 1000);
        cache.set(query, reply, info);
        return { reply, negative: info.negative };
      } catch (err) {
        metrics.upstreamErrors.labels(transport.name).inc();
        lastError = err;
        this.options.logger.debug({ upstream, err: (err as Error).message }, 'upstream attempt failed');
      }
    }
    throw lastError ?? new DnsShimErrors.DNS_ERR_UPSTREAM_TIMEOUT(`no answer in ${timeoutMs} ms`);
  }
}

/** Questions that get the same answer (one upstream exchange in flight each): name, type, class, and the EDNS/DNSSEC bits. */
export function cacheKey(query: ParsedQuery): string {
  return `${query.nameKey}|${query.qtype}|${query.qclass}|${answerBits(query)}`;
}

/** The client's ID and its own question bytes (its letter case) into a reply for the same question. */
function patch(reply: Buffer, query: ParsedQuery): Buffer {
  reply[0] = query.id >> 8;
  reply[1] = query.id & 0xff;
  copyQuestion(query.raw, reply, query.questionEnd);
  return reply;
}
