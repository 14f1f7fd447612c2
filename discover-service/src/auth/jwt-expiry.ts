/**
 * The `exp` claim of a JWT in ms since the epoch, read WITHOUT verifying the signature:
 * it only shortens how long a reviewed token is trusted, it never grants anything.
 * `undefined` when the token is not a JWT or has no numeric `exp`.
 */
export function jwtExpiryMs(token: string): number | undefined {
  const parts = token.split('.');
  const payload = parts[1];
  if (parts.length !== 3 || payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
