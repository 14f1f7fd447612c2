import type { TokenReview } from './token-reviewer.js';

const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** The ServiceAccount a reviewed username names, if it names one. */
export function parseServiceAccountUser(username: string): { namespace: string; name: string } | undefined {
  const match = SERVICE_ACCOUNT_USER.exec(username);
  return match?.[1] === undefined || match[2] === undefined ? undefined : { namespace: match[1], name: match[2] };
}

/** Outcome of the namespace rule: allowed, or the reason it is not. */
export type NamespaceDecision = { allowed: true; serviceAccount: string } | { allowed: false; reason: string };

/**
 * Istio's rule: a pod's token reads the config of components in its own namespace only.
 * The token's ServiceAccount namespace is the pod's namespace (a pod can only use
 * ServiceAccounts of its namespace), so one tenant's sidecar cannot read another's
 * dependencies, endpoints or plugin options. Users other than ServiceAccounts are refused.
 */
export function namespaceDecision(review: Extract<TokenReview, { authenticated: true }>, namespace: string): NamespaceDecision {
  const account = parseServiceAccountUser(review.username);
  if (account === undefined) {
    return { allowed: false, reason: `${review.username} is not a ServiceAccount; only pod tokens read component config` };
  }
  const serviceAccount = `${account.namespace}/${account.name}`;
  if (account.namespace !== namespace) {
    return { allowed: false, reason: `ServiceAccount ${serviceAccount} may read namespace ${account.namespace} only, not ${namespace}` };
  }
  return { allowed: true, serviceAccount };
}
