import type { LbPolicy } from '../model/mesh-document.js';
import type { ValidationIssue } from '../validation/validated.js';
import {
  parseDomainsOption,
  parseEnumOption,
  parseHeadersOption,
  parseIntegerOption,
  parsePathPrefixOption,
  parseRetryOnOption,
  type ParsedValue,
} from './option-value-parsers.js';
import { TRAFFIC_OPTION_KEYS, type TrafficOptionKey } from './traffic-option-keys.js';
import { DEFAULT_TRAFFIC_POLICY, RETRY_CONDITIONS, type TrafficPolicy } from './traffic-policy.js';

/** Long values are cut in issue messages so one bad option cannot flood the error list. */
const MAX_QUOTED_VALUE = 80;

const KEYS_BY_LOWER_NAME = new Map(TRAFFIC_OPTION_KEYS.map((k) => [k.key.toLowerCase(), k]));

function quote(raw: string): string {
  return JSON.stringify(raw.length > MAX_QUOTED_VALUE ? `${raw.slice(0, MAX_QUOTED_VALUE)}...` : raw);
}

function parseValue(spec: TrafficOptionKey, raw: string): ParsedValue<unknown> {
  switch (spec.type) {
    case 'integer':
      return parseIntegerOption(raw, spec.min ?? 0, spec.max ?? Number.MAX_SAFE_INTEGER);
    case 'enum':
      return parseEnumOption(raw, (spec.values ?? []) as readonly LbPolicy[]);
    case 'domains':
      return parseDomainsOption(raw);
    case 'path-prefix':
      return parsePathPrefixOption(raw);
    case 'headers':
      return parseHeadersOption(raw);
    case 'retry-on':
      return parseRetryOnOption(raw, RETRY_CONDITIONS);
  }
}

function freezeValue(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map((v: unknown) => (typeof v === 'object' && v !== null ? Object.freeze(v) : v)));
  return value;
}

/**
 * Reads the per-port options (string values, Rainbond keys) of one port into a frozen
 * TrafficPolicy. Never throws: a bad value gives an issue (path = the key) and its field keeps
 * the default; an empty value means "not set", as Rainbond's UI sends for untouched items; keys
 * that are not traffic options belong to other plugin items and are ignored, except a known key
 * in the wrong case, which is reported because it would otherwise be silently ignored.
 */
export function parseTrafficPolicy(options: Readonly<Record<string, string>>): {
  policy: TrafficPolicy;
  issues: ValidationIssue[];
} {
  const policy: Record<string, unknown> = { ...DEFAULT_TRAFFIC_POLICY };
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(options)) {
    const spec = KEYS_BY_LOWER_NAME.get(key.toLowerCase());
    if (spec === undefined) continue;
    if (spec.key !== key) {
      issues.push({ path: key, reason: `unknown option; did you mean ${spec.key}?` });
      continue;
    }
    if (typeof value !== 'string') {
      issues.push({ path: key, reason: `must be a string, got ${typeof value}` });
      continue;
    }
    if (value.trim() === '') continue;
    const parsed = parseValue(spec, value);
    if (parsed.ok) policy[spec.field] = freezeValue(parsed.value);
    else issues.push({ path: key, reason: `${quote(value)} ${parsed.reason}` });
  }
  return { policy: Object.freeze(policy) as unknown as TrafficPolicy, issues };
}
