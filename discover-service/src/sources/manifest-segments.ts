/** Where one YAML document (from its `---` marker up to the next one) is in a file, in bytes. */
export interface ManifestSegment {
  /** Its first byte: the marker, or 0 for the first document. */
  start: number;
  /** Its text: after a `---` line with nothing else on it (a moved document keeps its text), else `start`. */
  body: number;
  /** The next segment's `start`, or the file's length. */
  end: number;
}

const NEWLINE = 0x0a;
const DASH = 0x2d;

/** A `---` at the start of a line, followed by a blank or the line end, starts a document. */
function isMarker(buf: Buffer, at: number): boolean {
  if (buf[at] !== DASH || buf[at + 1] !== DASH || buf[at + 2] !== DASH) return false;
  const next = buf[at + 3];
  return next === undefined || next === 0x20 || next === 0x09 || next === 0x0d || next === NEWLINE;
}

function bareMarkerLength(buf: Buffer, at: number): number {
  if (!isMarker(buf, at)) return 0;
  if (buf[at + 3] === NEWLINE) return 4;
  return buf[at + 3] === 0x0d && buf[at + 4] === NEWLINE ? 5 : 0;
}

/** Bytes either side of a segment boundary that decide it (the newline before `---`, the byte after). */
export const BOUNDARY_CONTEXT = 4;

/** 1-based line of the byte at `offset`; counted only for messages, since most parses need none. */
export function lineAt(buf: Buffer, offset: number): number {
  let line = 1;
  for (let i = buf.indexOf(NEWLINE); i !== -1 && i < offset; i = buf.indexOf(NEWLINE, i + 1)) line++;
  return line;
}

/** Whether a line of the file starts with `%` (a directive such as `%YAML 1.1`). */
export function hasDirectives(buf: Buffer): boolean {
  // A byte search for the rare `%` is far cheaper than a search for "\n%" (newlines are everywhere).
  for (let i = buf.indexOf(0x25); i !== -1; i = buf.indexOf(0x25, i + 1)) if (i === 0 || buf[i - 1] === NEWLINE) return true;
  return false;
}

/**
 * Splits the bytes `[from, to)` of a multi-document YAML file at its `---` lines, so each document
 * can be parsed (and cached) alone; `from` must start a segment (0 or a marker) and so must `to`
 * (a marker or the end). Splitting at column-0 markers is exact: YAML forbids such a line inside any
 * node. Directives (`%YAML`) belong to the document after them, so a file with any is one segment.
 */
export function splitManifest(buf: Buffer, from = 0, to = buf.length): ManifestSegment[] {
  const starts: number[] = [from];
  if (!hasDirectives(buf)) {
    for (let i = buf.indexOf('\n---', from); i !== -1 && i + 1 < to; i = buf.indexOf('\n---', i + 1)) {
      if (isMarker(buf, i + 1)) starts.push(i + 1);
    }
  }
  return starts.map((start, s) => ({ start, body: start + bareMarkerLength(buf, start), end: starts[s + 1] ?? to }));
}

/** Bytes `a` and `b` have in common at their start. */
export function commonPrefix(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  const CHUNK = 1 << 16;
  let i = 0;
  // Whole chunks by memcmp; then the differing chunk byte by byte.
  while (i < n) {
    const e = Math.min(i + CHUNK, n);
    if (a.compare(b, i, e, i, e) !== 0) break;
    i = e;
  }
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Bytes `a` and `b` have in common at their end, at most `limit`. */
export function commonSuffix(a: Buffer, b: Buffer, limit: number): number {
  const n = Math.min(a.length, b.length, limit);
  const CHUNK = 1 << 16;
  let k = 0;
  while (k < n) {
    const e = Math.min(k + CHUNK, n);
    if (a.compare(b, b.length - e, b.length - k, a.length - e, a.length - k) !== 0) break;
    k = e;
  }
  while (k < n && a[a.length - 1 - k] === b[b.length - 1 - k]) k++;
  return k;
}
