import { silentLogger, type Logger } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';
import type { TokenReviewer } from './token-reviewer.js';

/** Options of {@link AccessControl}. Validated once, then frozen. */
export interface AccessControlOptions {
  /** Who a token belongs to: {@link KubeTokenReviewer} in a cluster. Its answers are cached here. */
  reviewer: TokenReviewer;
  /**
   * How long an accepted token is trusted without a new review, ms. Never past the token's own
   * `exp` when it is a JWT. Bounds how long a deleted ServiceAccount or pod keeps access. Default 60000.
   */
  positiveTtlMs?: number;
  /** How long a refused token stays refused without a new review, ms (keeps a bad client off the API server). Default 5000. */
  negativeTtlMs?: number;
  /** Reviews remembered; past it the oldest is forgotten. Default 10000. */
  maxCachedTokens?: number;
  /** Wall clock, ms since the epoch (compared with JWT `exp`). Default `Date.now`. */
  clock?: () => number;
  /** pino logger; decisions are logged through a child `{ component: 'access' }`. Default silent. */
  logger?: Logger;
}

export interface ResolvedAccessControlOptions {
  readonly reviewer: TokenReviewer;
  readonly positiveTtlMs: number;
  readonly negativeTtlMs: number;
  readonly maxCachedTokens: number;
  readonly clock: () => number;
  readonly logger: Logger;
}

/** The one place the defaults live. */
export const ACCESS_DEFAULTS = Object.freeze({
  positiveTtlMs: 60_000,
  negativeTtlMs: 5_000,
  maxCachedTokens: 10_000,
});

export function resolveAccessControlOptions(options: AccessControlOptions): ResolvedAccessControlOptions {
  const problems: string[] = [];
  if (typeof options.reviewer?.review !== 'function') problems.push('reviewer: must be a TokenReviewer');
  const positiveTtlMs = options.positiveTtlMs ?? ACCESS_DEFAULTS.positiveTtlMs;
  const negativeTtlMs = options.negativeTtlMs ?? ACCESS_DEFAULTS.negativeTtlMs;
  const maxCachedTokens = options.maxCachedTokens ?? ACCESS_DEFAULTS.maxCachedTokens;
  for (const [name, value] of [['positiveTtlMs', positiveTtlMs], ['negativeTtlMs', negativeTtlMs]] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) problems.push(`${name} ${value}: must be a number >= 0`);
  }
  if (!Number.isInteger(maxCachedTokens) || maxCachedTokens < 1) problems.push(`maxCachedTokens ${maxCachedTokens}: must be a positive integer`);
  if (options.clock !== undefined && typeof options.clock !== 'function') problems.push('clock: must be a function');
  if (problems.length > 0) throw new DiscoverErrors.DISC_ERR_INVALID_AUTH_OPTIONS(problems.join('; '));
  return Object.freeze({
    reviewer: options.reviewer,
    positiveTtlMs,
    negativeTtlMs,
    maxCachedTokens,
    clock: options.clock ?? Date.now,
    logger: (options.logger ?? silentLogger()).child({ component: 'access' }),
  });
}
