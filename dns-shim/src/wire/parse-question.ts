import { HEADER_LENGTH, MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from './dns-constants.js';
import { hashWireName } from './name-hash.js';

/** The single question of a message, read in place: no strings, no arrays (this runs for every query). */
export interface Question {
  /** Offset just after the name's final zero byte; the name itself starts at the header's end. */
  nameEnd: number;
  /** {@link hashWireName} of the name, letters folded. */
  nameHash: number;
  qtype: number;
  qclass: number;
  /** Offset just after the question. */
  end: number;
}

/**
 * Where the name of the one question right after the header ends (just
 * after its final zero byte), or -1 when the header does not say exactly one
 * question or anything overruns, type and class included. Names must be
 * uncompressed: at offset 12 there is nothing before them to point at.
 */
export function questionNameEnd(buf: Buffer): number {
  const length = buf.length;
  // Bytes, not readUInt16BE: this runs per query and every bound is checked here anyway.
  if (length < HEADER_LENGTH || buf[4] !== 0 || buf[5] !== 1) return -1;
  let offset = HEADER_LENGTH;
  for (;;) {
    if (offset >= length) return -1;
    const len = buf[offset] as number;
    if (len === 0) break;
    if (len > MAX_LABEL_LENGTH) return -1;
    offset += 1 + len;
    if (offset > length || offset - HEADER_LENGTH + 1 > MAX_NAME_LENGTH) return -1;
  }
  return offset + 5 > length ? -1 : offset + 1;
}

/** The one question right after the header (see {@link questionNameEnd}); undefined when it cannot be read. */
export function parseQuestion(buf: Buffer): Question | undefined {
  const nameEnd = questionNameEnd(buf);
  if (nameEnd < 0) return undefined;
  return {
    nameEnd,
    nameHash: hashWireName(buf, HEADER_LENGTH, nameEnd),
    qtype: ((buf[nameEnd] as number) << 8) | (buf[nameEnd + 1] as number),
    qclass: ((buf[nameEnd + 2] as number) << 8) | (buf[nameEnd + 3] as number),
    end: nameEnd + 4,
  };
}
