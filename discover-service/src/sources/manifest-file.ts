import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { KubeObject } from '@meshplug/plugin-api';
import { OBJECT_KINDS, type ObjectKind } from './source.js';

/** The objects of a manifest file, by kind. */
export type ManifestObjects = Map<ObjectKind, KubeObject[]>;

/** Why a manifest file was refused: the first problem, with its line. */
export interface ManifestProblem {
  line: number;
  message: string;
}

export type ParsedManifest = { ok: true; objects: ManifestObjects } | { ok: false; problem: ManifestProblem };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function docLine(doc: Document.Parsed, lines: LineCounter): number {
  return lines.linePos(doc.contents?.range[0] ?? doc.range[0]).line;
}

/**
 * Parses a multi-document YAML of Services, EndpointSlices, ConfigMaps and
 * Endpoints (`List`/`*List` documents flattened, as kubectl prints them).
 * Objects without a namespace land in `default`, as with kubectl. The whole
 * file is refused on the first problem (YAML error, unknown kind, missing
 * metadata.name, the same object twice), so a half-edited file never yields
 * a half mesh.
 */
export function parseManifest(text: string): ParsedManifest {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const objects: ManifestObjects = new Map(OBJECT_KINDS.map((k) => [k, []]));
  const seen = new Map<string, number>();
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const error = doc.errors[0];
    if (error !== undefined) {
      return { ok: false, problem: { line: error.linePos?.[0].line ?? docLine(doc, lines), message: `YAML: ${error.message.split('\n')[0] ?? ''}` } };
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    const line = docLine(doc, lines);
    const fail = (message: string): ParsedManifest => ({ ok: false, problem: { line, message } });
    if (!isRecord(value)) return fail('a document must be a Kubernetes object');
    const kind = value['kind'];
    const items =
      typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value['items'])
        ? (value['items'] as unknown[]).map((item) =>
            isRecord(item) && item['kind'] === undefined && kind !== 'List' ? { ...item, kind: kind.slice(0, -4) } : item,
          )
        : [value];
    for (const [i, item] of items.entries()) {
      const where = items.length > 1 || item !== value ? `items[${i}]: ` : '';
      if (!isRecord(item)) return fail(`${where}must be a Kubernetes object`);
      const itemKind = item['kind'];
      if (typeof itemKind !== 'string' || !(OBJECT_KINDS as readonly string[]).includes(itemKind)) {
        return fail(`${where}unknown kind ${JSON.stringify(itemKind)}: expected one of ${OBJECT_KINDS.join(', ')}`);
      }
      const meta = item['metadata'];
      if (!isRecord(meta) || typeof meta['name'] !== 'string' || meta['name'] === '') {
        return fail(`${where}${itemKind}: metadata.name is required`);
      }
      const namespace = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : 'default';
      const id = `${itemKind} ${namespace}/${meta['name']}`;
      const first = seen.get(id);
      if (first !== undefined) return fail(`${where}${id} is defined twice (first at line ${first})`);
      seen.set(id, line);
      const object = { ...item, metadata: { ...meta, namespace } } as unknown as KubeObject;
      objects.get(itemKind as ObjectKind)?.push(object);
    }
  }
  return { ok: true, objects };
}
