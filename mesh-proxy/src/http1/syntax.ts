/** The end of a message head. */
export const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

/** Longest head the fast path parses; node:http's own limit (16 KiB) answers longer requests. */
export const MAX_HEAD_BYTES = 16_384;

/** RFC 9110 token: a header name. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Control characters other than HTAB: never in a value the fast path forwards. */
export const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;

/** A Content-Length value. */
export const DIGITS = /^\d{1,15}$/;

/** A block of valid field lines, CRLF-separated, the last without its CRLF: checked in one pass. */
const FIELD_BLOCK = /(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*(?:\r\n|$))*$/y;

/**
 * Walks the field lines of a head (CRLF-separated, already free of the blank
 * line). The whole block is checked by one regular expression first; only a
 * block that fails is checked line by line, to say which line. One instance
 * serves every parse: parsing is synchronous.
 */
export class FieldLines {
  line = '';
  name = '';
  value = '';
  /** Why the current line is unusable: '' when it is a valid field, else 'line' (no colon) or 'field' (bad name or value). */
  bad: '' | 'line' | 'field' = '';
  private text = '';
  private pos = 0;
  private end = 0;
  private allValid = false;

  reset(text: string, pos: number): this {
    this.text = text;
    this.pos = pos;
    this.end = text.length;
    FIELD_BLOCK.lastIndex = pos;
    this.allValid = FIELD_BLOCK.test(text);
    return this;
  }

  /** Moves to the next line; false when there is none. */
  next(): boolean {
    if (this.pos >= this.end) return false;
    let next = this.text.indexOf('\r\n', this.pos);
    if (next < 0) next = this.end;
    const line = this.text.slice(this.pos, next);
    this.pos = next + 2;
    this.line = line;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      this.bad = 'line';
      return true;
    }
    this.name = line.slice(0, colon);
    this.value = line.slice(colon + 1).trim();
    this.bad = this.allValid || (TOKEN.test(this.name) && !BAD_VALUE.test(this.value)) ? '' : 'field';
    return true;
  }
}
