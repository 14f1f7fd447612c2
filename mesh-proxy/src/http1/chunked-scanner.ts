const CR = 13;
const LF = 10;
/** Longest chunk-size accepted (12 hex digits: 256 TiB), so the count stays an exact number. */
const MAX_SIZE_DIGITS = 12;

const enum State {
  Size,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  TrailerLine,
  TrailerLf,
  FinalLf,
  Done,
}

/** `feed` found a framing error. */
export const CHUNKED_ERROR = -2;
/** `feed` consumed the whole buffer and the body goes on. */
export const CHUNKED_MORE = -1;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/**
 * Finds where a chunked body ends (RFC 9112 §7.1) without decoding it: the
 * proxy relays the chunks as received and only needs the end, to reuse the
 * connection. Strict: CRLF line ends, hex sizes, no bytes where a CRLF belongs.
 */
export class ChunkedScanner {
  private state = State.Size;
  private remaining = 0;
  private digits = 0;

  /** Scans `buf` from `start`: the index just past the body's end, CHUNKED_MORE, or CHUNKED_ERROR. */
  feed(buf: Uint8Array, start: number): number {
    let i = start;
    const n = buf.length;
    while (i < n) {
      switch (this.state) {
        case State.Data: {
          const take = Math.min(this.remaining, n - i);
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) this.state = State.DataCr;
          continue;
        }
        case State.Size: {
          const c = buf[i]!;
          const v = hexValue(c);
          if (v >= 0) {
            if (++this.digits > MAX_SIZE_DIGITS) return CHUNKED_ERROR;
            this.remaining = this.remaining * 16 + v;
          } else if (this.digits === 0) {
            return CHUNKED_ERROR;
          } else if (c === CR) {
            this.state = State.SizeLf;
          } else if (c === 59 || c === 32 || c === 9) {
            this.state = State.Extension;
          } else {
            return CHUNKED_ERROR;
          }
          break;
        }
        case State.Extension: {
          const c = buf[i]!;
          if (c === CR) this.state = State.SizeLf;
          else if (c === LF || c === 0) return CHUNKED_ERROR;
          break;
        }
        case State.SizeLf:
          if (buf[i] !== LF) return CHUNKED_ERROR;
          this.digits = 0;
          this.state = this.remaining === 0 ? State.TrailerStart : State.Data;
          break;
        case State.DataCr:
          if (buf[i] !== CR) return CHUNKED_ERROR;
          this.state = State.DataLf;
          break;
        case State.DataLf:
          if (buf[i] !== LF) return CHUNKED_ERROR;
          this.state = State.Size;
          break;
        case State.TrailerStart:
          this.state = buf[i] === CR ? State.FinalLf : State.TrailerLine;
          if (buf[i] === LF) return CHUNKED_ERROR;
          break;
        case State.TrailerLine: {
          const c = buf[i]!;
          if (c === CR) this.state = State.TrailerLf;
          else if (c === LF) return CHUNKED_ERROR;
          break;
        }
        case State.TrailerLf:
          if (buf[i] !== LF) return CHUNKED_ERROR;
          this.state = State.TrailerStart;
          break;
        case State.FinalLf:
          if (buf[i] !== LF) return CHUNKED_ERROR;
          this.state = State.Done;
          return i + 1;
        case State.Done:
          return i;
      }
      i++;
    }
    return this.state === State.Done ? i : CHUNKED_MORE;
  }
}
