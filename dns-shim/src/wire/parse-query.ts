import { EDNS_DO, Flag, HEADER_LENGTH, OPCODE_MASK, QType, Rcode } from './dns-constants.js';
import { hashWireName } from './name-hash.js';
import { questionNameEnd } from './parse-question.js';
import { ParsedQuery, type EdnsInfo } from './parsed-query.js';
import { skipName } from './skip-name.js';

export { ParsedQuery, type EdnsInfo } from './parsed-query.js';

/** The header can be read but the message cannot be served: answer this rcode with the header only. */
export interface QueryRejection {
  readonly kind: 'reject';
  readonly id: number;
  readonly flags: number;
  readonly rcode: number;
}

/** Not even a header, or not a query at all (a response): stay silent. */
export interface QueryDrop {
  readonly kind: 'drop';
}

/** A query to answer (kind 'query'), or why not. No wrapper object: a query is parsed for every datagram. */
export type ParseResult = ParsedQuery | QueryRejection | QueryDrop;

const DROP: QueryDrop = Object.freeze({ kind: 'drop' });

/**
 * Reads an incoming query by hand instead of through dns-packet: this is the
 * hot path, and every bound is checked so no input can throw or loop.
 */
export function parseQuery(buf: Buffer): ParseResult {
  if (buf.length < HEADER_LENGTH) return DROP;
  const id = u16(buf, 0);
  const flags = u16(buf, 2);
  if (flags & Flag.QR) return DROP;
  if ((flags & OPCODE_MASK) !== 0) return { kind: 'reject', id, flags, rcode: Rcode.NOTIMP };
  const nameEnd = questionNameEnd(buf);
  if (nameEnd < 0) return formerr(id, flags);

  const questionEnd = nameEnd + 4;
  let offset = questionEnd;
  const skipped = u16(buf, 6) + u16(buf, 8);
  for (let i = 0; i < skipped; i++) {
    offset = skipRecord(buf, offset);
    if (offset < 0) return formerr(id, flags);
  }
  let edns: EdnsInfo | undefined;
  const arcount = u16(buf, 10);
  for (let i = 0; i < arcount; i++) {
    const nameEnd = skipName(buf, offset);
    if (nameEnd < 0 || nameEnd + 10 > buf.length) return formerr(id, flags);
    if (u16(buf, nameEnd) === QType.OPT) {
      // RFC 6891: at most one OPT, owned by the root name.
      if (edns !== undefined || nameEnd !== offset + 1) return formerr(id, flags);
      edns = { udpPayloadSize: u16(buf, nameEnd + 2), dnssecOk: (u16(buf, nameEnd + 6) & EDNS_DO) !== 0 };
    }
    offset = skipRecord(buf, offset);
    if (offset < 0) return formerr(id, flags);
  }
  const nameHash = hashWireName(buf, HEADER_LENGTH, nameEnd);
  return new ParsedQuery(buf, id, flags, nameEnd, nameHash, u16(buf, nameEnd), u16(buf, nameEnd + 2), questionEnd, offset, edns);
}

/** A big-endian 16-bit field the caller has bounds-checked (cheaper than readUInt16BE's own checks, per query). */
function u16(buf: Buffer, offset: number): number {
  return ((buf[offset] as number) << 8) | (buf[offset + 1] as number);
}

function formerr(id: number, flags: number): QueryRejection {
  return { kind: 'reject', id, flags, rcode: Rcode.FORMERR };
}

/** Offset after one resource record, or -1 when it runs past the buffer. */
export function skipRecord(buf: Buffer, offset: number): number {
  const nameEnd = skipName(buf, offset);
  if (nameEnd < 0 || nameEnd + 10 > buf.length) return -1;
  const end = nameEnd + 10 + u16(buf, nameEnd + 8);
  return end > buf.length ? -1 : end;
}
