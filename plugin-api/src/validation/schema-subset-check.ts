import { isIPv4 } from 'node:net';
import { PATTERN_REASONS } from '../schema/common.js';
import { joinPath } from './json-path.js';
import { rangeReason, typeReason, type SchemaCheck } from './schema-validator.js';
import type { ValidationIssue } from './validated.js';

/** The JSON Schema keywords this checker implements; any other one in a schema is refused when it is built. */
const KEYWORDS = new Set([
  'type', 'required', 'properties', 'additionalProperties', 'items', 'enum',
  'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'format',
  'title', 'description',
]);

interface Node {
  type?: string;
  required?: string[];
  properties?: Record<string, Node>;
  additionalProperties?: Node | boolean;
  items?: Node;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  format?: string;
}

const TYPE_CHECKS: Readonly<Record<string, (v: unknown) => boolean>> = {
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: Array.isArray,
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  integer: Number.isInteger,
  number: (v) => typeof v === 'number' && Number.isFinite(v),
};

function checkShape(schema: unknown, at: string): Node {
  if (typeof schema !== 'object' || schema === null) throw new TypeError(`schema ${at || '(root)'}: not an object`);
  const node = schema as Node & Record<string, unknown>;
  for (const key of Object.keys(node)) {
    if (!KEYWORDS.has(key)) throw new TypeError(`schema ${at || '(root)'}: keyword ${key} is not supported by the subset checker`);
  }
  if (node.type !== undefined && TYPE_CHECKS[node.type] === undefined) throw new TypeError(`schema ${at || '(root)'}: type ${node.type}`);
  if (node.format !== undefined && node.format !== 'ipv4') throw new TypeError(`schema ${at || '(root)'}: format ${node.format}`);
  for (const [name, child] of Object.entries(node.properties ?? {})) checkShape(child, joinPath(at, name));
  if (typeof node.additionalProperties === 'object') checkShape(node.additionalProperties, `${at}.*`);
  if (node.items !== undefined) checkShape(node.items, `${at}[]`);
  return node;
}

/** The path of the value being checked, as keys; joined into a readable path only when an issue is reported. */
type PathStack = (string | number)[];

function issue(at: PathStack, reason: string, key?: string | number): ValidationIssue {
  let path = '';
  for (const part of at) path = joinPath(path, part);
  return { path: key === undefined ? path : joinPath(path, key), reason };
}

function visit(node: Node, value: unknown, at: PathStack, out: ValidationIssue[]): void {
  const typeOk = node.type === undefined || (TYPE_CHECKS[node.type] as (v: unknown) => boolean)(value);
  if (!typeOk) out.push(issue(at, typeReason(node.type as string, value, node as Record<string, unknown>)));
  if (node.enum !== undefined && !node.enum.includes(value)) out.push(issue(at, `must be one of ${node.enum.join(', ')}`));
  if (!typeOk) return;
  if (typeof value === 'string') {
    if (node.minLength !== undefined && value.length < node.minLength) {
      out.push(issue(at, node.minLength === 1 ? 'must be a non-empty string' : `must be at least ${node.minLength} characters`));
    }
    if (node.maxLength !== undefined && value.length > node.maxLength) out.push(issue(at, `must be at most ${node.maxLength} characters`));
    // As the ajv check does: an empty string already failed minLength.
    if (node.pattern !== undefined && value !== '' && !new RegExp(node.pattern, 'u').test(value)) {
      out.push(issue(at, PATTERN_REASONS[node.pattern] ?? `must match ${node.pattern}`));
    }
    if (node.format === 'ipv4' && !isIPv4(value)) out.push(issue(at, 'must be a valid ipv4 address'));
  } else if (typeof value === 'number') {
    if ((node.minimum !== undefined && value < node.minimum) || (node.maximum !== undefined && value > node.maximum)) {
      out.push(issue(at, rangeReason(node as Record<string, unknown>)));
    }
  } else if (Array.isArray(value)) {
    if (node.items === undefined) return;
    // Indexed, not forEach: a hole is checked (as undefined) the way ajv checks it.
    for (let i = 0; i < value.length; i++) {
      at.push(i);
      visit(node.items, value[i], at, out);
      at.pop();
    }
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    // As ajv: a key holding undefined counts as absent.
    for (const name of node.required ?? []) if (record[name] === undefined) out.push(issue(at, 'is required', name));
    for (const name in record) {
      const child = record[name];
      if (child === undefined) continue;
      const schema = node.properties?.[name] ?? node.additionalProperties;
      if (schema === false) out.push(issue(at, `unknown key \`${name}\``));
      else if (typeof schema === 'object') {
        at.push(name);
        visit(schema, child, at, out);
        at.pop();
      }
    }
  }
}

/**
 * A checker for the documents meshplug generates (MeshDocument, ResourceSpec), interpreting the
 * same schema objects as the ajv check ({@link compileSchema}) and reporting the same issues, but
 * without ajv: sidecars validate every document they receive, and ajv with its compiled schemas
 * costs them ~3.5 MB of RSS (measured in mesh-proxy). Only the keywords those schemas use are
 * implemented; a schema using any other one is refused here, at build time, not silently accepted.
 */
export function compileSchemaSubset(schema: object): SchemaCheck {
  const root = checkShape(schema, '');
  return (value) => {
    const out: ValidationIssue[] = [];
    visit(root, value, [], out);
    return out;
  };
}
