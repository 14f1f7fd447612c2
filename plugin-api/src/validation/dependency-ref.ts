import type { DependencyRef } from '../model/component.js';
import { DNS_LABEL_PATTERN, PATTERN_REASONS } from '../schema/common.js';
import type { ValidationIssue } from './validated.js';

const DNS_LABEL = new RegExp(DNS_LABEL_PATTERN);
const FORM = 'must be `name` or `name.namespace`, optionally followed by `:port`';

/**
 * Parses a dependency as a component writes it: `name`, `name.ns`, `name:port` or `name.ns:port`,
 * relative to the component's namespace. On failure the issue has an empty path: the caller knows
 * where the reference was written (`dependencies[1]`, `values.services["x:80"]`).
 */
export function parseDependencyRef(ref: string, namespace: string): DependencyRef | ValidationIssue {
  const fail = (reason: string): ValidationIssue => ({ path: '', reason });
  if (ref === '') return fail(`must not be empty: ${FORM}`);
  const colon = ref.split(':');
  if (colon.length > 2) return fail(`\`${ref}\` ${FORM}`);
  const [host = '', portText] = colon;
  let port: number | undefined;
  if (portText !== undefined) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
    if (!(port >= 1 && port <= 65535)) return fail(`port \`${portText}\` must be a number from 1 to 65535`);
  }
  const parts = host.split('.');
  if (parts.length > 2) return fail(`\`${ref}\` ${FORM}`);
  const [name = '', ns = namespace] = parts;
  for (const [what, label] of [['service name', name], ['namespace', ns]] as const) {
    if (label.length > 63) return fail(`${what} \`${label}\` must be at most 63 characters`);
    if (!DNS_LABEL.test(label)) return fail(`${what} \`${label}\` ${PATTERN_REASONS[DNS_LABEL_PATTERN] ?? ''}`);
  }
  return port === undefined ? { name, namespace: ns } : { name, namespace: ns, port };
}

/** Narrows the result of {@link parseDependencyRef}. */
export function isDependencyRef(value: DependencyRef | ValidationIssue): value is DependencyRef {
  return 'name' in value;
}

/** `name.namespace[:port]`: one spelling for equal references, for messages and duplicate checks. */
export function dependencyKey(ref: DependencyRef): string {
  return `${ref.name}.${ref.namespace}${ref.port === undefined ? '' : `:${ref.port}`}`;
}
