import { isRecord } from './shape.js';

/**
 * Option values are strings (as in Rainbond), but YAML reads `Weight: 100` as a number and
 * `enabled: true` as a boolean. Where a string value is expected these scalars become their text;
 * anything else (null, a list, a map) is left for the schema to report.
 */
export function scalarToString(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : value;
}

/** Coerces every value of a map in place (`{ LOG_LEVEL: debug, Weight: 100 }`). */
export function coerceMapValues(map: unknown): void {
  if (!isRecord(map)) return;
  for (const [key, value] of Object.entries(map)) map[key] = scalarToString(value);
}

/** Coerces every element of a list in place (`options: [1, 2, 3]`). */
export function coerceListValues(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) list[i] = scalarToString(list[i]);
}
