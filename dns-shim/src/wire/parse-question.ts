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
 * Reads the one question right after the header. Names must be uncompressed:
 * at offset 12 there is nothing before them to point at. Undefined when the
 * header does not say exactly one question or anything overruns.
 */
export function parseQuestion(buf: Buffer): Question | undefined {
  if (buf.length < HEADER_LENGTH || buf.readUInt16BE(4) !== 1) return undefined;
  let offset = HEADER_LENGTH;
  for (;;) {
    if (offset >= buf.length) return undefined;
    const len = buf[offset] as number;
    if (len === 0) {
      offset += 1;
      break;
    }
    if (len > MAX_LABEL_LENGTH) return undefined;
    if (offset + 1 + len > buf.length || offset - HEADER_LENGTH + len + 2 > MAX_NAME_LENGTH) return undefined;
    offset += 1 + len;
  }
  if (offset + 4 > buf.length) return undefined;
  return {
    nameEnd: offset,
    nameHash: hashWireName(buf, HEADER_LENGTH, offset),
    qtype: buf.readUInt16BE(offset),
    qclass: buf.readUInt16BE(offset + 2),
    end: offset + 4,
  };
}
