import { createHash } from 'node:crypto';

/*
 * Every document a change touches is versioned, so this runs for each of them (1,000 mesh documents
 * when a Service they all depend on changes). A JSON.stringify replacer runs a callback per value and
 * copies every object; here objects whose keys are already in order are used as they are, the rest
 * are copied once with sorted keys, and the native JSON.stringify (no callback) does the text.
 */
function keysInOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return false;
  return true;
}

/** `value` with object keys sorted at every level; parts already in order are shared, not copied. */
function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const sorted = sortedKeys(item);
      if (sorted !== item) (copy ??= value.slice())[i] = sorted;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  // toJSON (Dates) decides its own form, as JSON.stringify lets it.
  if (typeof record['toJSON'] === 'function') return value;
  const keys = Object.keys(record);
  const inOrder = keysInOrder(keys);
  if (!inOrder) keys.sort();
  let copy: Record<string, unknown> | undefined = inOrder ? undefined : {};
  for (const [i, key] of keys.entries()) {
    const item = record[key];
    const sorted = sortedKeys(item);
    if (copy === undefined && sorted !== item) {
      copy = {};
      for (const earlier of keys.slice(0, i)) copy[earlier] = record[earlier];
    }
    if (copy !== undefined) copy[key] = sorted;
  }
  return copy ?? value;
}

/** JSON with object keys sorted at every level, `undefined` fields dropped: one text per value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value));
}

/**
 * The config version of a document: 16 characters of base64url SHA-256 over
 * its canonical JSON. Equal content gives an equal version on every replica.
 */
export function contentVersion(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url').slice(0, 16);
}
