import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, `undefined` fields dropped: one text per value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/**
 * The config version of a document: 16 characters of base64url SHA-256 over
 * its canonical JSON. Equal content gives an equal version on every replica.
 */
export function contentVersion(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url').slice(0, 16);
}
