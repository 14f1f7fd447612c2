import type { Clock } from '../clock.js';
import type { ResponseInfo } from '../wire/inspect-response.js';

/** Limits of the forwarded-answer cache. */
export interface ResponseCacheOptions {
  /** Entries kept; the least recently used goes first. */
  maxEntries: number;
  /** Upper bound on how long a positive answer is kept, seconds. */
  maxTtlSeconds: number;
  /** Upper bound on how long NXDOMAIN/NODATA is kept, seconds. */
  maxNegativeTtlSeconds: number;
  clock: Clock;
}

interface Entry {
  /** The reply as the upstream sent it (ID and question case are patched per client). */
  reply: Buffer;
  ttlOffsets: number[];
  ttls: number[];
  storedAt: number;
  expiresAt: number;
  negative: boolean;
}

/**
 * Upstream replies by question. A hit returns a copy with every TTL lowered
 * by the time spent in the cache, so downstream caches never keep a record
 * longer than its owner allowed.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: Readonly<ResponseCacheOptions>) {}

  get size(): number {
    return this.entries.size;
  }

  /** A fresh copy of the cached reply, or undefined on a miss or expiry. */
  get(key: string): { reply: Buffer; negative: boolean } | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const now = this.options.clock.now();
    if (now >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    const elapsed = Math.floor((now - entry.storedAt) / 1000);
    const reply = Buffer.from(entry.reply);
    entry.ttlOffsets.forEach((offset, i) => reply.writeUInt32BE(Math.max(0, (entry.ttls[i] as number) - elapsed), offset));
    return { reply, negative: entry.negative };
  }

  /** Keeps a reply for its cache TTL (capped); replies with TTL 0 are not kept. */
  set(key: string, reply: Buffer, info: ResponseInfo): void {
    const cap = info.negative ? this.options.maxNegativeTtlSeconds : this.options.maxTtlSeconds;
    const ttl = Math.min(info.cacheTtl, cap);
    if (ttl <= 0 || this.options.maxEntries === 0) return;
    const now = this.options.clock.now();
    this.entries.delete(key);
    this.entries.set(key, {
      reply,
      ttlOffsets: info.ttlOffsets,
      ttls: info.ttlOffsets.map((o) => Math.min(reply.readUInt32BE(o), cap)),
      storedAt: now,
      expiresAt: now + ttl * 1000,
      negative: info.negative,
    });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
