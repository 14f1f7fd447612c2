/** Readable paths (`plugins[0].values.ports["8080"]`) instead of JSON pointers, for people. */

import { isRecord } from './shape.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Appends an array index or an object key to a readable path. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (IDENTIFIER.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

/**
 * Turns a JSON pointer (as ajv reports it) into a readable path. The data is walked alongside, so a
 * numeric segment is an index only where the value really is an array (`ports["8080"]` stays a key).
 */
export function pointerToPath(data: unknown, pointer: string): string {
  if (pointer === '') return '';
  let path = '';
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(segment)) {
      const index = Number(segment);
      path = joinPath(path, index);
      node = node[index];
    } else {
      path = joinPath(path, segment);
      node = isRecord(node) ? node[segment] : undefined;
    }
  }
  return path;
}
