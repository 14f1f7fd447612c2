import {
  AuthenticationV1Api,
  Observable,
  type ConfigurationOptions,
  type KubeConfig,
  type V1TokenReviewStatus,
} from '@kubernetes/client-node';
import { MESHPLUG_TOKEN_AUDIENCE } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';
import { describeKubeError } from '../sources/kube-error-message.js';
import type { TokenReview, TokenReviewer } from './token-reviewer.js';

/** Timer functions bounding a review; tests may inject their own. */
export interface ReviewTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of {@link KubeTokenReviewer}. */
export interface KubeTokenReviewerOptions {
  /** The cluster to ask (discover-service's own client configuration; its ServiceAccount needs `create tokenreviews`). */
  kubeConfig: KubeConfig;
  /** The one audience accepted. Default `meshplug`, the audience the injector projects tokens for. */
  audience?: string;
  /** Bound on one review, ms; past it the check counts as unavailable. Default 5000. */
  timeoutMs?: number;
  /** Default: the global setTimeout/clearTimeout. */
  timers?: ReviewTimers;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * `authentication.k8s.io/v1 TokenReview` through `@kubernetes/client-node`, asking for the
 * `meshplug` audience only, so a token minted for the API server (or anything else) is refused.
 */
export class KubeTokenReviewer implements TokenReviewer {
  private readonly api: AuthenticationV1Api;
  private readonly audience: string;
  private readonly timeoutMs: number;
  private readonly timers: ReviewTimers;

  constructor(options: KubeTokenReviewerOptions) {
    this.audience = options.audience ?? MESHPLUG_TOKEN_AUDIENCE;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (this.audience === '' || !(this.timeoutMs > 0)) {
      throw new DiscoverErrors.DISC_ERR_INVALID_AUTH_OPTIONS(`audience "${this.audience}" must be non-empty, timeoutMs ${this.timeoutMs} positive`);
    }
    this.timers = options.timers ?? { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.api = options.kubeConfig.makeApiClient(AuthenticationV1Api);
  }

  async review(token: string): Promise<TokenReview> {
    const abort = new AbortController();
    const timer = this.timers.setTimeout(() => abort.abort(), this.timeoutMs);
    try {
      const answer = await this.api.createTokenReview(
        { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences: [this.audience] } } },
        abortableWith(abort.signal),
      );
      return interpretTokenReview(answer.status, this.audience);
    } catch (err) {
      const why = abort.signal.aborted ? `no answer in ${this.timeoutMs} ms` : describeKubeError(err);
      throw new DiscoverErrors.DISC_ERR_AUTH_UNAVAILABLE(`TokenReview: ${why}`, { cause: err });
    } finally {
      this.timers.clearTimeout(timer);
    }
  }
}

/** Per-call options that abort the request on `signal` (client-node has no per-call timeout of its own). */
function abortableWith(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (context) => new Observable(Promise.resolve(context)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/**
 * A TokenReview status as a decision. The audience must come back in `status.audiences`:
 * an empty list means the token is valid for the API server's own audience, which is
 * exactly the token a sidecar must not be able to replay here (and vice versa).
 */
export function interpretTokenReview(status: V1TokenReviewStatus | undefined, audience: string): TokenReview {
  if (status?.authenticated !== true) return { authenticated: false, reason: status?.error || 'the token was not accepted' };
  const audiences = status.audiences ?? [];
  if (!audiences.includes(audience)) {
    return { authenticated: false, reason: `the token is not for audience "${audience}" (valid for: ${audiences.join(', ') || 'the API server'})` };
  }
  const username = status.user?.username;
  if (username === undefined || username === '') return { authenticated: false, reason: 'the review named no user' };
  return {
    authenticated: true,
    username,
    ...(status.user?.uid ? { uid: status.user.uid } : {}),
    groups: status.user?.groups ?? [],
    audiences,
  };
}
