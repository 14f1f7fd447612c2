/** One YAML document's text (from its `---` marker up to the next), decoded on its own. */
export interface ManifestSegment {
  text: string;
  /** 1-based line of the segment's first character in the file. */
  line: number;
}

const NEWLINE = 0x0a;
const DASH = 0x2d;

/** A `---` at the start of a line, followed by a blank or the line end, starts a document. */
function isMarker(buf: Buffer, at: number): boolean {
  if (buf[at] !== DASH || buf[at + 1] !== DASH || buf[at + 2] !== DASH) return false;
  const next = buf[at + 3];
  return next === undefined || next === 0x20 || next === 0x09 || next === 0x0d || next === NEWLINE;
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(NEWLINE, from); i !== -1 && i < to; i = buf.indexOf(NEWLINE, i + 1)) n++;
  return n;
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
  const segments: ManifestSegment[] = [];
  let line = 1;
  for (let s = 0; s < starts.length; s++) {
    const from = starts[s] as number;
    const to = starts[s + 1] ?? buf.length;
    segments.push({ text: buf.toString('utf8', from, to), line });
    line += countNewlines(buf, from, to);
  }
  return segments;
}
