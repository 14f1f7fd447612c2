import { createRequire } from 'node:module';
import type { ConfigMap } from '../model/kube.js';
import { joinPath } from './json-path.js';
import { invalid, valid, type Validated } from './validated.js';

/** Largest data key read, in bytes: a ConfigMap holds at most 1 MiB and a spec is far smaller. */
export const MAX_YAML_KEY_BYTES = 256 * 1024;
/** Aliases allowed in one key: enough for real use, far too few for an alias bomb to expand. */
export const MAX_YAML_ALIASES = 100;

const require = createRequire(import.meta.url);
let yaml: typeof import('yaml') | undefined;

/**
 * Reads and parses one YAML data key of a ConfigMap. Issues about the key itself carry the
 * ConfigMap path (`data["plugin.yaml"]`); issues inside it carry `key` and an empty path.
 */
export function readYamlKey(cm: ConfigMap, key: string): Validated<unknown> {
  const text = cm.data?.[key];
  const keyPath = joinPath('data', key);
  if (text === undefined) return invalid([{ path: keyPath, reason: 'is required' }]);
  if (typeof text !== 'string') return invalid([{ path: keyPath, reason: 'must be a string' }]);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_YAML_KEY_BYTES) {
    return invalid([{ path: keyPath, reason: `is ${bytes} bytes, over the limit of ${MAX_YAML_KEY_BYTES} bytes (256 KiB)` }]);
  }
  // Loaded on first use: sidecars import plugin-api but never read ConfigMaps.
  yaml ??= require('yaml') as typeof import('yaml');
  const doc = yaml.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return invalid(
      doc.errors.map((error) => {
        const where = error.linePos?.[0];
        const message = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '');
        const at = where === undefined ? '' : ` (line ${where.line}, column ${where.col})`;
        return { key, path: '', reason: `is not valid YAML: ${message}${at}` };
      }),
    );
  }
  try {
    return valid(doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }));
  } catch (error) {
    // toJS refuses alias expansions past maxAliasCount; other failures (unresolved alias) land here too.
    const message = error instanceof Error ? error.message : String(error);
    const reason = /alias count/i.test(message)
      ? `expands YAML aliases too often (limit ${MAX_YAML_ALIASES}): refused as a possible alias bomb`
      : `is not usable YAML: ${message}`;
    return invalid([{ key, path: '', reason }]);
  }
}
