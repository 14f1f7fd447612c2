/** What a token review found: who the token belongs to, or why it was not accepted. */
export type TokenReview =
  | {
      readonly authenticated: true;
      /** e.g. `system:serviceaccount:shop:web`. */
      readonly username: string;
      readonly uid?: string;
      readonly groups: readonly string[];
      /** Audiences the token was found valid for (the ones asked for, intersected with the token's). */
      readonly audiences: readonly string[];
    }
  | { readonly authenticated: false; readonly reason: string };

/**
 * Checks bearer tokens: the API server's TokenReview in a cluster, a fake in tests.
 * An answer, positive or negative, resolves; a check that could not be made (API server
 * unreachable, no permission) rejects with DISC_ERR_AUTH_UNAVAILABLE.
 */
export interface TokenReviewer {
  review(token: string): Promise<TokenReview>;
}
