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

const LOWER = new Uint8Array(256).map((_, i) => (i >= 65 && i <= 90 ? i + 32 : i));

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
  const key = Buffer.allocUnsafe(offset - HEADER_LENGTH);
  for (let i = HEADER_LENGTH; i < offset; i++) key[i - HEADER_LENGTH] = LOWER[buf[i] as number] as number;
  return {
    nameKey: key.toString('latin1'),
    labelStarts,
    qtype: buf.readUInt16BE(offset),
    qclass: buf.readUInt16BE(offset + 2),
    end: offset + 4,
  };
}
