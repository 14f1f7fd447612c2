import type { Logger } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';
import { resolveAccessControlOptions, type AccessControlOptions, type ResolvedAccessControlOptions } from './access-options.js';
import { CachingTokenReviewer } from './caching-token-reviewer.js';
import { namespaceDecision } from './namespace-rule.js';

/** The token of an `Authorization: Bearer <token>` header; `undefined` for anything else. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([^\s]+) *$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Who may read a namespace's config documents (`meshplug serve --auth tokenreview`): a bearer
 * token, reviewed by the API server (cached), of a ServiceAccount in that namespace.
 */
export class AccessControl {
  readonly options: ResolvedAccessControlOptions;
  private readonly reviewer: CachingTokenReviewer;
  private readonly log: Logger;

  constructor(options: AccessControlOptions) {
    this.options = resolveAccessControlOptions(options);
    this.reviewer = new CachingTokenReviewer(this.options.reviewer, this.options);
    this.log = this.options.logger;
  }

  /** Token reviews remembered now. */
  get cachedReviews(): number {
    return this.reviewer.size;
  }

  /**
   * Resolves the ServiceAccount (`namespace/name`) allowed to read `namespace`; rejects with
   * DISC_ERR_UNAUTHENTICATED (no or bad token, 401), DISC_ERR_FORBIDDEN (another namespace, 403)
   * or DISC_ERR_AUTH_UNAVAILABLE (the review could not be made, 503: sidecars retry and keep their config).
   */
  async authorize(authorization: string | undefined, namespace: string): Promise<string> {
    const token = bearerToken(authorization);
    if (token === undefined) {
      throw new DiscoverErrors.DISC_ERR_UNAUTHENTICATED(authorization === undefined ? 'no Authorization header' : 'the Authorization header is not "Bearer <token>"');
    }
    let review;
    try {
      review = await this.reviewer.review(token);
    } catch (err) {
      this.log.warn({ err }, 'token review failed');
      throw err;
    }
    if (!review.authenticated) {
      this.log.debug({ namespace, reason: review.reason }, 'token refused');
      throw new DiscoverErrors.DISC_ERR_UNAUTHENTICATED(review.reason);
    }
    const decision = namespaceDecision(review, namespace);
    if (!decision.allowed) {
      this.log.info({ user: review.username, namespace }, 'cross-namespace read refused');
      throw new DiscoverErrors.DISC_ERR_FORBIDDEN(decision.reason);
    }
    return decision.serviceAccount;
  }
}
