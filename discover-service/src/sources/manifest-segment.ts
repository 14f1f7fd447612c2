import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { KubeObject } from '@meshplug/plugin-api';
import { OBJECT_KINDS, type ObjectKind } from './source.js';
import { loadCoreYaml } from './yaml-core-schema.js';

/** One object of a document, or why it was refused. */
export type ManifestItem =
  | { ok: true; kind: ObjectKind; id: string; object: KubeObject; /** `items[i]: ` inside a List, else empty. */ where: string }
  | { ok: false; message: string };

/** A document of a segment: its objects (a `List` has several) or its problem, in file order. */
export interface SegmentDocument {
  /** 1-based line inside the segment: the document's content, or the YAML error. */
  line: number;
  items: ManifestItem[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The objects of one parsed document (`List`/`*List` flattened, as kubectl prints them). */
function documentItems(value: unknown): ManifestItem[] {
  if (!isRecord(value)) return [{ ok: false, message: 'a document must be a Kubernetes object' }];
  const kind = value['kind'];
  const items =
    typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value['items'])
      ? (value['items'] as unknown[]).map((item) =>
          isRecord(item) && item['kind'] === undefined && kind !== 'List' ? { ...item, kind: kind.slice(0, -4) } : item,
        )
      : [value];
  return items.map((item, i): ManifestItem => {
    const where = items.length > 1 || item !== value ? `items[${i}]: ` : '';
    if (!isRecord(item)) return { ok: false, message: `${where}must be a Kubernetes object` };
    const itemKind = item['kind'];
    if (typeof itemKind !== 'string' || !(OBJECT_KINDS as readonly string[]).includes(itemKind)) {
      return { ok: false, message: `${where}unknown kind ${JSON.stringify(itemKind)}: expected one of ${OBJECT_KINDS.join(', ')}` };
    }
    const meta = item['metadata'];
    if (!isRecord(meta) || typeof meta['name'] !== 'string' || meta['name'] === '') {
      return { ok: false, message: `${where}${itemKind}: metadata.name is required` };
    }
    const namespace = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : 'default';
    const object = { ...item, metadata: { ...meta, namespace } } as unknown as KubeObject;
    return { ok: true, kind: itemKind as ObjectKind, id: `${itemKind} ${namespace}/${meta['name']}`, object, where };
  });
}

/** Line of a document's first content character: after the `---` marker, blanks and comments. */
function contentLine(text: string): number {
  let line = 1;
  let i = text.startsWith('---') ? 3 : 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '#') {
      const end = text.indexOf('\n', i);
      if (end === -1) break;
      i = end;
      continue;
    } else if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\ufeff') break;
    i++;
  }
  return line;
}

function yamlProblem(message: string): ManifestItem {
  return { ok: false, message: `YAML: ${message.split('\n')[0] ?? ''}` };
}

function docLine(doc: Document.Parsed, lines: LineCounter): number {
  return lines.linePos(doc.contents?.range[0] ?? doc.range[0]).line;
}

/** The reference parser: exact errors with lines, anchors with a bounded alias expansion, directives. */
function parseWithYaml(text: string): SegmentDocument[] {
  const lines = new LineCounter();
  const documents: SegmentDocument[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines, prettyErrors: false })) {
    const error = doc.errors[0];
    if (error !== undefined) {
      documents.push({ line: lines.linePos(error.pos[0]).line, items: [yamlProblem(error.message)] });
      break;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      // An alias bomb (too many alias expansions) is refused here rather than expanded.
      documents.push({ line: docLine(doc, lines), items: [yamlProblem((err as Error).message)] });
      break;
    }
    if (value !== null && value !== undefined) documents.push({ line: docLine(doc, lines), items: documentItems(value) });
  }
  return documents;
}

/**
 * Parses one segment of a manifest file. Plain documents take the fast path (js-yaml with the `yaml`
 * core schema); anything it refuses, and any document with an anchor (`&`, whose aliases only the
 * reference parser bounds), goes through `yaml`, so errors and results stay those of `yaml`.
 */
export function parseSegment(text: string): SegmentDocument[] {
  if (!text.includes('&')) {
    let value: unknown;
    try {
      value = loadCoreYaml(text);
    } catch {
      return parseWithYaml(text);
    }
    return value === null || value === undefined ? [] : [{ line: contentLine(text), items: documentItems(value) }];
  }
  return parseWithYaml(text);
}
