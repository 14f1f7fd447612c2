import type { Clock } from '../clock.js';
import { Flag, HEADER_LENGTH } from '../wire/dns-constants.js';
import { foldByte, wireNameMatches } from '../wire/name-hash.js';
import type { ParsedQuery } from '../wire/parsed-query.js';
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

/** A cache hit: the reply (the caller's own copy) and whether it is NXDOMAIN/NODATA. */
export interface CachedReply {
  reply: Buffer;
  negative: boolean;
}

interface Entry {
  /** The question answered: its name in wire form, lower case, and the rest of what makes the key. */
  name: Uint8Array;
  qtype: number;
  qclass: number;
  bits: number;
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

const SMI_MASK = 0x3fffffff;

/** The EDNS/DNSSEC bits of a query that change its answer, so they are part of the cache key. */
export function answerBits(query: ParsedQuery): number {
  return (query.edns === undefined ? 0 : 1) | (query.edns?.dnssecOk ? 2 : 0) | (query.flags & Flag.CD ? 4 : 0);
}

/** The cache slot of a question: its name hash (computed while parsing) mixed with type, class and bits. */
function slotOf(query: ParsedQuery, bits: number): number {
  return (Math.imul(query.nameHash ^ (query.qtype << 3) ^ bits, 0x01000193) ^ query.qclass) & SMI_MASK;
}

/**
 * Upstream replies by question. A hit returns a copy with every TTL lowered
 * by the time spent in the cache, so downstream caches never keep a record
 * longer than its owner allowed. Eviction is second-chance (CLOCK): the
 * least recently used go first, yet a hit only sets a flag instead of
 * reordering the map.
 *
 * Entries are found by a number computed from the parsed question, and
 * confirmed by comparing the question's bytes, so a hit builds no key
 * string. Two questions with the same number share a slot: the later
 * replaces the earlier (a cache may forget; it never answers the wrong one).
 */
export class ResponseCache {
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly options: Readonly<ResponseCacheOptions>) {}

  get size(): number {
    return this.entries.size;
  }

  /** A fresh copy of the cached reply to `query`'s question, or undefined on a miss or expiry. */
  get(query: ParsedQuery): CachedReply | undefined {
    const bits = answerBits(query);
    const slot = slotOf(query, bits);
    const entry = this.entries.get(slot);
    if (
      entry === undefined ||
      entry.qtype !== query.qtype ||
      entry.qclass !== query.qclass ||
      entry.bits !== bits ||
      entry.name.length !== query.nameEnd - HEADER_LENGTH ||
      !wireNameMatches(query.raw, HEADER_LENGTH, entry.name)
    ) {
      return undefined;
    }
    const now = this.options.clock.now();
    if (now >= entry.expiresAt) {
      this.entries.delete(slot);
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

  /** Keeps a copy of the reply to `query`'s question for its cache TTL (capped); replies with TTL 0 are not kept. */
  set(query: ParsedQuery, reply: Buffer, info: ResponseInfo): void {
    const cap = info.negative ? this.options.maxNegativeTtlSeconds : this.options.maxTtlSeconds;
    const ttl = Math.min(info.cacheTtl, cap);
    if (ttl <= 0 || this.options.maxEntries === 0) return;
    const now = this.options.clock.now();
    const bits = answerBits(query);
    const slot = slotOf(query, bits);
    const name = Uint8Array.from(query.raw.subarray(HEADER_LENGTH, query.nameEnd), foldByte);
    this.entries.delete(slot);
    this.entries.set(slot, {
      name,
      qtype: query.qtype,
      qclass: query.qclass,
      bits,
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
    for (const [slot, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries) return;
      this.entries.delete(slot);
      if (entry.used) {
        entry.used = false;
        this.entries.set(slot, entry);
      }
    }
  }
}
