import type { KubeObject } from '@meshplug/plugin-api';
import { parseSegment, type SegmentDocument } from './manifest-segment.js';
import { BOUNDARY_CONTEXT, commonPrefix, commonSuffix, hasDirectives, lineAt, splitManifest, type ManifestSegment } from './manifest-segments.js';
import { OBJECT_KINDS, type ObjectKind } from './source.js';

/** The objects of a manifest file, by kind. */
export type ManifestObjects = Map<ObjectKind, KubeObject[]>;

/** Why a manifest file was refused: the first problem, with its line. */
export interface ManifestProblem {
  line: number;
  message: string;
}

export type ParsedManifest = { ok: true; objects: ManifestObjects } | { ok: false; problem: ManifestProblem };

/** A segment of the last file, with its text and what it parsed to. */
interface ParsedSegment extends ManifestSegment {
  text: string;
  documents: SegmentDocument[];
}

/** Line of the document that first defines `id` (looked up only for the message). */
function firstLine(file: Buffer, segments: readonly ParsedSegment[], id: string): number {
  for (const segment of segments) {
    for (const doc of segment.documents) {
      if (doc.items.some((item) => item.ok && item.id === id)) return lineAt(file, segment.body) + doc.line - 1;
    }
  }
  return 0;
}

/**
 * Parses multi-document YAML files of Services, EndpointSlices, ConfigMaps and
 * Endpoints (`List`/`*List` documents flattened, as kubectl prints them).
 * Objects without a namespace land in `default`, as with kubectl. The whole
 * file is refused on the first problem (YAML error, unknown kind, missing
 * metadata.name, the same object twice), so a half-edited file never yields
 * a half mesh.
 *
 * It remembers the documents of the last file it parsed, and an unchanged
 * document is not parsed again: it yields the very same objects, so the store
 * sees it unchanged by identity. Documents before and after the changed bytes
 * are taken over without even being decoded; the others are looked up by
 * text (a document that moved), and only new texts are parsed.
 */
export class ManifestParser {
  private last: { file: Buffer; segments: ParsedSegment[] } | undefined;

  parse(file: Buffer): ParsedManifest {
    const segments = this.segmentsOf(file);
    this.last = { file, segments };
    const objects: ManifestObjects = new Map(OBJECT_KINDS.map((k) => [k, []]));
    const seen = new Set<string>();
    const fileLine = (offset: number, line: number): number => lineAt(file, offset) + line - 1;
    for (const segment of segments) {
      for (const doc of segment.documents) {
        for (const item of doc.items) {
          if (!item.ok) return { ok: false, problem: { line: fileLine(segment.body, doc.line), message: item.message } };
          if (seen.has(item.id)) {
            const message = `${item.where}${item.id} is defined twice (first at line ${firstLine(file, segments, item.id)})`;
            return { ok: false, problem: { line: fileLine(segment.body, doc.line), message } };
          }
          seen.add(item.id);
          objects.get(item.kind)?.push(item.object);
        }
      }
    }
    return { ok: true, objects };
  }

  /** The segments of `file`, parsed; kept for a broken file too, so fixing it re-parses only what changed. */
  private segmentsOf(file: Buffer): ParsedSegment[] {
    const last = this.last;
    const parseRange = (from: number, to: number, known?: Map<string, SegmentDocument[]>): ParsedSegment[] =>
      splitManifest(file, from, to).map((range) => {
        const text = file.toString('utf8', range.body, range.end);
        return { ...range, text, documents: known?.get(text) ?? parseSegment(text) };
      });
    if (last === undefined || hasDirectives(file)) return parseRange(0, file.length);
    const old = last.file;
    const prefix = commonPrefix(old, file);
    const suffix = commonSuffix(old, file, Math.min(old.length, file.length) - prefix);
    const shift = file.length - old.length;
    const same = prefix === old.length && prefix === file.length;
    // A segment is the same when its bytes and the bytes deciding its boundaries are; segments are in file order.
    const { segments } = last;
    let headCount = 0;
    while (headCount < segments.length && (same || (segments[headCount] as ParsedSegment).end + BOUNDARY_CONTEXT <= prefix)) headCount++;
    let tailFrom = headCount;
    while (tailFrom < segments.length && (segments[tailFrom] as ParsedSegment).start - BOUNDARY_CONTEXT < old.length - suffix) tailFrom++;
    const head = segments.slice(0, headCount);
    const tail = segments.slice(tailFrom).map((s) => (shift === 0 ? s : { ...s, start: s.start + shift, body: s.body + shift, end: s.end + shift }));
    const headEnd = head.at(-1)?.end ?? 0;
    const tailStart = tail[0]?.start ?? file.length;
    if (headEnd === tailStart) return [...head, ...tail];
    // A document that moved into the changed range keeps its objects too.
    const known = new Map(segments.slice(headCount, tailFrom).map((s) => [s.text, s.documents]));
    return [...head, ...parseRange(headEnd, tailStart, known), ...tail];
  }
}

/** Parses one manifest text on its own (no memory of earlier files). */
export function parseManifest(text: string): ParsedManifest {
  return new ManifestParser().parse(Buffer.from(text, 'utf8'));
}
