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
  /**
   * The reply as the upstream sent it (ID and question case are patched per
   * client), its TTLs already lowered by `elapsed` seconds.
   */
  reply: Buffer;
  ttlOffsets: number[];
  ttls: number[];
  /** Seconds in the cache `reply`'s TTLs were last written for; hits within the same second copy it as it is. */
  elapsed: number;
  storedAt: number;
  expiresAt: number;
  negative: boolean;
  /** Hit since eviction last looked at it: it gets a second chance instead of going. */
  used: boolean;
}

/**
 * Upstream replies by question. A hit returns a copy with every TTL lowered
 * by the time spent in the cache, so downstream caches never keep a record
 * longer than its owner allowed. Eviction is second-chance (CLOCK): the
 * least recently used go first, yet a hit only sets a flag instead of
 * reordering the map.
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
    entry.used = true;
    const elapsed = Math.floor((now - entry.storedAt) / 1000);
    if (elapsed !== entry.elapsed) {
      entry.elapsed = elapsed;
      for (let i = 0; i < entry.ttlOffsets.length; i++) {
        entry.reply.writeUInt32BE(Math.max(0, (entry.ttls[i] as number) - elapsed), entry.ttlOffsets[i] as number);
      }
    }
    const reply = Buffer.allocUnsafe(entry.reply.length);
    reply.set(entry.reply, 0);
    return { reply, negative: entry.negative };
  }

  /** Keeps a copy of a reply for its cache TTL (capped); replies with TTL 0 are not kept. */
  set(key: string, reply: Buffer, info: ResponseInfo): void {
    const cap = info.negative ? this.options.maxNegativeTtlSeconds : this.options.maxTtlSeconds;
    const ttl = Math.min(info.cacheTtl, cap);
    if (ttl <= 0 || this.options.maxEntries === 0) return;
    const now = this.options.clock.now();
    this.entries.delete(key);
    this.entries.set(key, {
      reply: Buffer.from(reply),
      ttlOffsets: info.ttlOffsets,
      ttls: info.ttlOffsets.map((o) => Math.min(reply.readUInt32BE(o), cap)),
      // Not a real second count: the first hit writes the capped TTLs.
      elapsed: -1,
      storedAt: now,
      expiresAt: now + ttl * 1000,
      negative: info.negative,
      used: false,
    });
    if (this.entries.size > this.options.maxEntries) this.evict();
  }

  clear(): void {
    this.entries.clear();
  }

  /** Oldest first; a used entry is moved to the young end with its flag cleared. Ends within two passes. */
  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries) return;
      this.entries.delete(key);
      if (entry.used) {
        entry.used = false;
        this.entries.set(key, entry);
      }
    }
  }
}
