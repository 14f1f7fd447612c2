import { createRequire } from 'node:module';
import type { Ajv as AjvInstance, ErrorObject, ValidateFunction } from 'ajv';
import { PATTERN_REASONS } from '../schema/common.js';
import { joinPath, pointerToPath } from './json-path.js';
import type { ValidationIssue } from './validated.js';

const require = createRequire(import.meta.url);
let shared: AjvInstance | undefined;

/**
 * One shared ajv instance, loaded on first use: sidecars import plugin-api for
 * its types and client and never validate user objects, and ajv with compiled
 * schemas costs tens of MB of heap they should not pay for.
 */
function ajv(): AjvInstance {
  if (shared === undefined) {
    const { Ajv } = require('ajv') as typeof import('ajv');
    const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
    shared = new Ajv({ allErrors: true, verbose: true, strict: true });
    addFormats(shared, ['ipv4']);
  }
  return shared;
}

/** Checks a value against a schema and lists every issue; the value is neither changed nor typed. */
export type SchemaCheck = (value: unknown) => ValidationIssue[];

/** Compiles `schema` on the first check, then reuses it. */
export function compileSchema(schema: object): SchemaCheck {
  let validate: ValidateFunction | undefined;
  return (value) => {
    validate ??= ajv().compile(schema);
    if (validate(value)) return [];
    // An empty string already fails minLength; its pattern failure would only repeat that.
    const errors = (validate.errors ?? []).filter((e) => !(e.keyword === 'pattern' && e.data === ''));
    return dedupe(errors.map((error) => toIssue(value, error)));
  };
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'a map',
  array: 'a list',
  string: 'a string',
  boolean: 'true or false',
  integer: 'an integer',
  number: 'a number',
};

function toIssue(data: unknown, error: ErrorObject): ValidationIssue {
  const path = pointerToPath(data, error.instancePath);
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: joinPath(path, String(params['missingProperty'])), reason: 'is required' };
    case 'additionalProperties':
      return { path, reason: `unknown key \`${String(params['additionalProperty'])}\`` };
    case 'enum':
      return { path, reason: `must be one of ${(params['allowedValues'] as unknown[]).join(', ')}` };
    case 'type':
      return { path, reason: typeReason(String(params['type']), error.data, parent) };
    case 'minLength':
      return { path, reason: params['limit'] === 1 ? 'must be a non-empty string' : `must be at least ${String(params['limit'])} characters` };
    case 'maxLength':
      return { path, reason: `must be at most ${String(params['limit'])} characters` };
    case 'pattern':
      return { path, reason: PATTERN_REASONS[String(params['pattern'])] ?? `must match ${String(params['pattern'])}` };
    case 'minimum':
    case 'maximum':
      return { path, reason: rangeReason(parent) };
    case 'format':
      return { path, reason: `must be a valid ${String(params['format'])} address` };
    default:
      return { path, reason: error.message ?? `fails ${error.keyword}` };
  }
}

export function typeReason(expected: string, actual: unknown, parent: Record<string, unknown>): string {
  const base =
    expected === 'string' && typeof parent['minLength'] === 'number' && parent['minLength'] > 0
      ? 'must be a non-empty string'
      : `must be ${TYPE_NAMES[expected] ?? expected}`;
  // YAML turns unquoted 1.0 or true into a number or boolean; say so, since the text looked like a string.
  if (expected === 'string' && (typeof actual === 'number' || typeof actual === 'boolean')) {
    return `${base} (YAML read the ${typeof actual} ${String(actual)}: quote the value)`;
  }
  return base;
}

export function rangeReason(parent: Record<string, unknown>): string {
  const min = parent['minimum'];
  const max = parent['maximum'];
  if (typeof min === 'number' && typeof max === 'number') return `must be from ${min} to ${max}`;
  if (typeof min === 'number') return `must be at least ${min}`;
  return `must be at most ${String(max)}`;
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const id = `${issue.path}\u0000${issue.reason}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
