import type { HeaderMatch, RetryOn, RetryCondition } from './traffic-policy.js';

/** A parsed option value, or why it was rejected (a fragment that follows the quoted value). */
export type ParsedValue<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): ParsedValue<T> => ({ ok: true, value });
const bad = <T>(reason: string): ParsedValue<T> => ({ ok: false, reason });

/** Decimal digits only, like Go's strconv.Atoi without the sign: `1e3`, `0x10`, `1.5` are rejected. */
export function parseIntegerOption(raw: string, min: number, max: number): ParsedValue<number> {
  const s = raw.trim();
  const n = /^\+?\d+$/.test(s) ? Number(s) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) return bad(`must be an integer from ${min} to ${max}`);
  return ok(n);
}

/** Case-insensitive; `-` and `_` are the same, so `ROUND-ROBIN` reads as `round_robin`. */
export function parseEnumOption<T extends string>(raw: string, values: readonly T[]): ParsedValue<T> {
  const s = raw.trim().toLowerCase().replace(/-/g, '_');
  const hit = values.find((v) => v === s);
  return hit === undefined ? bad(`must be one of ${values.join(', ')}`) : ok(hit);
}

// `*`, `*.x.com` / `*-x.com` (suffix), `x.*` (prefix) or a plain host; optional `:port`.
const DOMAIN = /^(\*|\*[a-z0-9.-]+|[a-z0-9-]+(\.[a-z0-9-]+)*(\.\*)?)(:\d{1,5})?$/;

/** Comma-separated Host values, lower-cased, de-duplicated, in order. */
export function parseDomainsOption(raw: string): ParsedValue<string[]> {
  const domains = [...new Set(raw.split(',').map((d) => d.trim().toLowerCase()).filter((d) => d !== ''))];
  const wrong = domains.filter((d) => !DOMAIN.test(d));
  if (wrong.length > 0) return bad(`has invalid domain ${wrong.map((d) => JSON.stringify(d)).join(', ')}`);
  return domains.length === 0 ? bad('names no domain') : ok(domains);
}

/** An absolute path prefix without query, fragment or whitespace. */
export function parsePathPrefixOption(raw: string): ParsedValue<string> {
  const s = raw.trim();
  if (!s.startsWith('/') || /[\s?#]/.test(s)) return bad('must be a path starting with / (no query, fragment or spaces)');
  return ok(s);
}

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/** `name:value;name2:value2`; Rainbond's `has_header:no` placeholder means "no header required". */
export function parseHeadersOption(raw: string): ParsedValue<HeaderMatch[]> {
  const headers: HeaderMatch[] = [];
  for (const pair of raw.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const colon = pair.indexOf(':');
    if (colon < 0) return bad(`has ${JSON.stringify(pair)} without name:value`);
    const name = pair.slice(0, colon).trim().toLowerCase();
    const value = pair.slice(colon + 1).trim();
    if (name === 'has_header' && value.toLowerCase() === 'no') continue;
    if (!HEADER_NAME.test(name)) return bad(`has invalid header name ${JSON.stringify(name)}`);
    headers.push({ name, value });
  }
  return ok(headers);
}

/** Comma-separated named conditions and HTTP status codes 400..599, de-duplicated. */
export function parseRetryOnOption(raw: string, conditions: readonly RetryCondition[]): ParsedValue<RetryOn[]> {
  const out: RetryOn[] = [];
  for (const part of raw.split(',').map((p) => p.trim().toLowerCase()).filter((p) => p !== '')) {
    let item: RetryOn | undefined = conditions.find((c) => c === part);
    if (item === undefined && /^\d{3}$/.test(part) && Number(part) >= 400 && Number(part) <= 599) item = Number(part);
    if (item === undefined) return bad(`has ${JSON.stringify(part)}, not one of ${conditions.join(', ')} or a status 400..599`);
    if (!out.includes(item)) out.push(item);
  }
  return out.length === 0 ? bad('names no condition') : ok(out);
}
