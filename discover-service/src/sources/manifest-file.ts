import type { KubeObject } from '@meshplug/plugin-api';
import { parseSegment, type SegmentDocument } from './manifest-segment.js';
import { lineAt, splitManifest } from './manifest-segments.js';
import { OBJECT_KINDS, type ObjectKind } from './source.js';

/** The objects of a manifest file, by kind. */
export type ManifestObjects = Map<ObjectKind, KubeObject[]>;

/** Why a manifest file was refused: the first problem, with its line. */
export interface ManifestProblem {
  line: number;
  message: string;
}

export type ParsedManifest = { ok: true; objects: ManifestObjects } | { ok: false; problem: ManifestProblem };

/**
 * Parses multi-document YAML files of Services, EndpointSlices, ConfigMaps and
 * Endpoints (`List`/`*List` documents flattened, as kubectl prints them).
 * Objects without a namespace land in `default`, as with kubectl. The whole
 * file is refused on the first problem (YAML error, unknown kind, missing
 * metadata.name, the same object twice), so a half-edited file never yields
 * a half mesh.
 *
 * It remembers the documents of the last file it parsed: a document whose
 * text did not change is not parsed again and yields the very same objects,
 * so a re-read costs a split and a lookup per document, and the store sees
 * unchanged objects by identity.
 */
export class ManifestParser {
  private documents = new Map<string, SegmentDocument[]>();

  parse(file: Buffer): ParsedManifest {
    const previous = this.documents;
    const current = new Map<string, SegmentDocument[]>();
    const objects: ManifestObjects = new Map(OBJECT_KINDS.map((k) => [k, []]));
    /** Object id -> where it was first defined: segment offset and line inside the segment. */
    const seen = new Map<string, [offset: number, line: number]>();
    const fileLine = (offset: number, line: number): number => lineAt(file, offset) + line - 1;
    let problem: ManifestProblem | undefined;
    for (const segment of splitManifest(file)) {
      let documents = current.get(segment.text);
      if (documents === undefined) {
        documents = previous.get(segment.text) ?? parseSegment(segment.text);
        current.set(segment.text, documents);
      }
      if (problem !== undefined) continue;
      for (const doc of documents) {
        for (const item of doc.items) {
          if (!item.ok) {
            problem = { line: fileLine(segment.offset, doc.line), message: item.message };
            break;
          }
          const first = seen.get(item.id);
          if (first !== undefined) {
            const message = `${item.where}${item.id} is defined twice (first at line ${fileLine(...first)})`;
            problem = { line: fileLine(segment.offset, doc.line), message };
            break;
          }
          seen.set(item.id, [segment.offset, doc.line]);
          objects.get(item.kind)?.push(item.object);
        }
        if (problem !== undefined) break;
      }
    }
    // Kept for a broken file too: fixing one document then re-parses only that one.
    this.documents = current;
    return problem === undefined ? { ok: true, objects } : { ok: false, problem };
  }
}

/** Parses one manifest text on its own (no memory of earlier files). */
export function parseManifest(text: string): ParsedManifest {
  return new ManifestParser().parse(Buffer.from(text, 'utf8'));
}
