import { MAX_LABEL_LENGTH } from './dns-constants.js';

/**
 * Offset just after a (possibly compressed) name starting at `offset`, or -1
 * when it is malformed. A pointer ends the name where it stands, so skipping
 * never follows pointers and compression loops cannot trap it.
 */
export function skipName(buf: Buffer, offset: number): number {
  let pos = offset;
  for (;;) {
    if (pos >= buf.length) return -1;
    const len = buf[pos] as number;
    if (len === 0) return pos + 1;
    if ((len & 0xc0) === 0xc0) return pos + 2 <= buf.length ? pos + 2 : -1;
    if (len > MAX_LABEL_LENGTH) return -1;
    pos += 1 + len;
  }
}
