import { HEADER_LENGTH, MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from './dns-constants.js';

/** The single question of a message, name lower-cased into its wire-form key. */
export interface Question {
  nameKey: string;
  /** Offset of each label within nameKey. */
  labelStarts: number[];
  qtype: number;
  qclass: number;
  /** Offset just after the question. */
  end: number;
}

const ASCII_UPPER = /[A-Z]/;
const ASCII_UPPER_ALL = /[A-Z]+/g;

/**
 * Reads the one question right after the header. Names must be uncompressed:
 * at offset 12 there is nothing before them to point at. Undefined when the
 * header does not say exactly one question or anything overruns.
 */
export function parseQuestion(buf: Buffer): Question | undefined {
  if (buf.length < HEADER_LENGTH || buf.readUInt16BE(4) !== 1) return undefined;
  let offset = HEADER_LENGTH;
  const labelStarts: number[] = [];
  for (;;) {
    if (offset >= buf.length) return undefined;
    const len = buf[offset] as number;
    if (len === 0) {
      offset += 1;
      break;
    }
    if (len > MAX_LABEL_LENGTH) return undefined;
    if (offset + 1 + len > buf.length || offset - HEADER_LENGTH + len + 2 > MAX_NAME_LENGTH) return undefined;
    labelStarts.push(offset - HEADER_LENGTH);
    offset += 1 + len;
  }
  if (offset + 4 > buf.length) return undefined;
  // Only ASCII letters fold (RFC 4343); most clients send lower case, so the replace rarely runs.
  const raw = buf.toString('latin1', HEADER_LENGTH, offset);
  return {
    nameKey: ASCII_UPPER.test(raw) ? raw.replace(ASCII_UPPER_ALL, (m) => m.toLowerCase()) : raw,
    labelStarts,
    qtype: buf.readUInt16BE(offset),
    qclass: buf.readUInt16BE(offset + 2),
    end: offset + 4,
  };
}
