/** Who a token belongs to, as a TokenReview reports it. */
export interface TokenUser {
  username: string;
  uid?: string;
  groups?: string[];
}

interface TokenReviewRequest {
  apiVersion?: string;
  kind?: string;
  spec?: { token?: string; audiences?: string[] };
}

/**
 * `authentication.k8s.io/v1 TokenReview`: answers who a bearer token is from
 * a configurable token -> user map (a static token file, in effect).
 */
export class TokenReviewer {
  private readonly users: Map<string, TokenUser>;

  constructor(users: Record<string, TokenUser>) {
    this.users = new Map(Object.entries(users));
  }

  set(token: string, user: TokenUser | undefined): void {
    if (user === undefined) this.users.delete(token);
    else this.users.set(token, user);
  }

  review(body: unknown): Record<string, unknown> {
    const request = (typeof body === 'object' && body !== null ? body : {}) as TokenReviewRequest;
    const spec = request.spec ?? {};
    const user = spec.token === undefined ? undefined : this.users.get(spec.token);
    const base = { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec };
    if (!user) {
      // `authenticated: false` is omitted on the wire (omitempty), as the real server does.
      return { ...base, status: { user: {}, error: 'invalid bearer token' } };
    }
    return {
      ...base,
      status: {
        authenticated: true,
        user: { username: user.username, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups ?? ['system:authenticated'] },
        ...(spec.audiences ? { audiences: spec.audiences } : {}),
      },
    };
  }
}
