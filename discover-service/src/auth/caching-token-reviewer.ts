import { createHash } from 'node:crypto';
import { jwtExpiryMs } from './jwt-expiry.js';
import type { TokenReview, TokenReviewer } from './token-reviewer.js';

/** How long answers are kept. */
export interface ReviewCacheSettings {
  readonly positiveTtlMs: number;
  readonly negativeTtlMs: number;
  readonly maxCachedTokens: number;
  readonly clock: () => number;
}

interface Entry {
  review: TokenReview;
  expiresAt: number;
}

/**
 * A TokenReviewer that remembers answers: every sidecar long-polls, and each poll would
 * otherwise cost a TokenReview. Accepted tokens are kept for the positive TTL (never past
 * their JWT `exp`), refused ones for the shorter negative TTL; a failed check is never kept.
 * Concurrent reviews of one token share one request. Keys are SHA-256 digests, so the
 * process never holds a list of live tokens.
 */
export class CachingTokenReviewer implements TokenReviewer {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<TokenReview>>();

  constructor(
    private readonly inner: TokenReviewer,
    private readonly settings: ReviewCacheSettings,
  ) {}

  /** Answers kept now (expired ones are dropped when next looked up or evicted). */
  get size(): number {
    return this.entries.size;
  }

  review(token: string): Promise<TokenReview> {
    const key = createHash('sha256').update(token).digest('base64url');
    const now = this.settings.clock();
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      if (cached.expiresAt > now) return Promise.resolve(cached.review);
      this.entries.delete(key);
    }
    let pending = this.inFlight.get(key);
    if (pending === undefined) {
      pending = this.inner.review(token).then((review) => {
        this.remember(key, token, review);
        return review;
      });
      const forget = (): void => {
        this.inFlight.delete(key);
      };
      pending.then(forget, forget);
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private remember(key: string, token: string, review: TokenReview): void {
    const now = this.settings.clock();
    let expiresAt = now + (review.authenticated ? this.settings.positiveTtlMs : this.settings.negativeTtlMs);
    if (review.authenticated) expiresAt = Math.min(expiresAt, jwtExpiryMs(token) ?? Infinity);
    if (expiresAt <= now) return;
    this.entries.delete(key);
    this.entries.set(key, { review, expiresAt });
    // Insertion order is age order: drop the oldest first.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.settings.maxCachedTokens) break;
      this.entries.delete(oldest);
    }
  }
}
