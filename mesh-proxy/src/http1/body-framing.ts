import { CHUNKED_ERROR, CHUNKED_MORE, ChunkedScanner } from './chunked-scanner.js';
import { CHUNKED, UNTIL_CLOSE, type ResponseHead } from './response-head.js';

/** `scan` found bad chunked framing. */
export const FRAMING_ERROR = -1;

/**
 * Where one response body ends, as its bytes go by: a countdown of
 * Content-Length, the chunked scanner, or the end of the connection. Bytes
 * after the end mean the upstream said more than one response: its
 * connection is then not reused.
 */
export class BodyFraming {
  /** The upstream connection may carry another request once the body is done. */
  reusable: boolean;
  /** The body has ended. */
  done = false;
  private remaining: number;
  private readonly scanner: ChunkedScanner | undefined;

  constructor(private readonly head: ResponseHead) {
    this.reusable = head.reusable;
    this.remaining = head.bodyLength > 0 ? head.bodyLength : 0;
    this.scanner = head.bodyLength === CHUNKED ? new ChunkedScanner() : undefined;
    this.done = head.bodyLength === 0;
  }

  get untilClose(): boolean {
    return this.head.bodyLength === UNTIL_CLOSE;
  }

  /** The end (exclusive) of this body's bytes in `buf[start..]`, or FRAMING_ERROR; sets `done` when the body ends there. */
  scan(buf: Buffer, start: number): number {
    let end = buf.length;
    if (this.done) {
      end = start;
    } else if (this.scanner !== undefined) {
      const at = this.scanner.feed(buf, start);
      if (at === CHUNKED_ERROR) return FRAMING_ERROR;
      if (at !== CHUNKED_MORE) {
        end = at;
        this.done = true;
      }
    } else if (!this.untilClose) {
      const n = Math.min(this.remaining, end - start);
      this.remaining -= n;
      end = start + n;
      this.done = this.remaining === 0;
    }
    if (this.done && end < buf.length) this.reusable = false;
    return end;
  }
}
