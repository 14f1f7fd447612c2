/** One YAML document's text (from its `---` marker, or the line after a bare one, up to the next), decoded on its own. */
export interface ManifestSegment {
  text: string;
  /** Byte offset of the segment in the file ({@link lineAt} turns it into a line when one is needed). */
  offset: number;
}

const NEWLINE = 0x0a;
const DASH = 0x2d;

/** A `---` at the start of a line, followed by a blank or the line end, starts a document. */
function isMarker(buf: Buffer, at: number): boolean {
  if (buf[at] !== DASH || buf[at + 1] !== DASH || buf[at + 2] !== DASH) return false;
  const next = buf[at + 3];
  return next === undefined || next === 0x20 || next === 0x09 || next === 0x0d || next === NEWLINE;
}

/** Length of a `---` line with nothing else on it at `at` (0 if none): dropped, so a document moved to the top is still the same text. */
function bareMarkerLength(buf: Buffer, at: number): number {
  if (!isMarker(buf, at)) return 0;
  if (buf[at + 3] === NEWLINE) return 4;
  return buf[at + 3] === 0x0d && buf[at + 4] === NEWLINE ? 5 : 0;
}

/** 1-based line of the byte at `offset`; counted only for messages, since most parses need none. */
export function lineAt(buf: Buffer, offset: number): number {
  let line = 1;
  for (let i = buf.indexOf(NEWLINE); i !== -1 && i < offset; i = buf.indexOf(NEWLINE, i + 1)) line++;
  return line;
}

/**
 * Splits a multi-document YAML file at its `---` lines, so each document can be parsed (and cached)
 * alone. Splitting at column-0 markers is exact: YAML forbids such a line inside any node. Directives
 * (`%YAML`) belong to the document after them, so a file with any keeps one segment.
 *
 * Each segment is decoded from the bytes separately: strings parsed from it then point into that
 * segment only, never into the whole file's text, so an unchanged document parsed from an old
 * version of the file does not keep that whole version alive.
 */
export function splitManifest(buf: Buffer): ManifestSegment[] {
  const starts: number[] = [0];
  if (buf[0] !== 0x25 && buf.indexOf('\n%') === -1) {
    for (let i = buf.indexOf('\n---'); i !== -1; i = buf.indexOf('\n---', i + 1)) {
      if (isMarker(buf, i + 1)) starts.push(i + 1);
    }
  }
  return starts.map((from, s) => {
    const body = from + bareMarkerLength(buf, from);
    return { text: buf.toString('utf8', body, starts[s + 1] ?? buf.length), offset: body };
  });
}
