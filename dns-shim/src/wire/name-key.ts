import { MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from './dns-constants.js';

/** `Tomcat.Shop.` -> `tomcat.shop`: the form names are stored and compared in. */
export function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * A presentation name as the wire-form key `parseQuery` produces
 * (length-prefixed labels, final zero, latin1); undefined when it is not a
 * valid DNS name.
 */
export function nameToKey(name: string): string | undefined {
  const normal = normalizeName(name);
  if (normal === '') return '\0';
  let key = '';
  for (const label of normal.split('.')) {
    if (label.length === 0 || label.length > MAX_LABEL_LENGTH || /[^\x21-\x7e]/.test(label)) return undefined;
    key += String.fromCharCode(label.length) + label;
  }
  key += '\0';
  return key.length > MAX_NAME_LENGTH ? undefined : key;
}

/** The wire-form key back to a dotted name, for logs (non-printable bytes escaped as \DDD). */
export function keyToName(key: string): string {
  const labels: string[] = [];
  let pos = 0;
  while (pos < key.length) {
    const len = key.charCodeAt(pos);
    if (len === 0) break;
    labels.push(
      key.slice(pos + 1, pos + 1 + len).replace(/[^\x21-\x7e]|[.\\]/g, (c) => `\\${c.charCodeAt(0).toString().padStart(3, '0')}`),
    );
    pos += 1 + len;
  }
  return labels.length === 0 ? '.' : labels.join('.');
}

const ASCII_UPPER = /[A-Z]/;
const ASCII_UPPER_ALL = /[A-Z]+/g;

/** The key of the wire-form name at `buf[start..end)` (as {@link nameToKey} gives), only ASCII letters folded (RFC 4343). */
export function wireNameKey(buf: Buffer, start: number, end: number): string {
  const raw = buf.toString('latin1', start, end);
  return ASCII_UPPER.test(raw) ? raw.replace(ASCII_UPPER_ALL, (m) => m.toLowerCase()) : raw;
}
