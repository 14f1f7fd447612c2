import { EDNS_DO, Flag, HEADER_LENGTH, OPCODE_MASK, QType, Rcode } from './dns-constants.js';
import { parseQuestion } from './parse-question.js';
import { ParsedQuery, type EdnsInfo } from './parsed-query.js';
import { skipName } from './skip-name.js';

export { ParsedQuery, type EdnsInfo } from './parsed-query.js';

export type ParseResult =
  | { kind: 'query'; query: ParsedQuery }
  /** The header can be read but the message cannot be served: answer this rcode with the header only. */
  | { kind: 'reject'; id: number; flags: number; rcode: number }
  /** Not even a header, or not a query at all (a response): stay silent. */
  | { kind: 'drop' };

/**
 * Reads an incoming query by hand instead of through dns-packet: this is the
 * hot path, and every bound is checked so no input can throw or loop.
 */
export function parseQuery(buf: Buffer): ParseResult {
  if (buf.length < HEADER_LENGTH) return { kind: 'drop' };
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  if (flags & Flag.QR) return { kind: 'drop' };
  if ((flags & OPCODE_MASK) !== 0) return { kind: 'reject', id, flags, rcode: Rcode.NOTIMP };
  const question = parseQuestion(buf);
  if (question === undefined) return formerr(id, flags);

  let offset = question.end;
  const skipped = buf.readUInt16BE(6) + buf.readUInt16BE(8);
  for (let i = 0; i < skipped; i++) {
    offset = skipRecord(buf, offset);
    if (offset < 0) return formerr(id, flags);
  }
  let edns: EdnsInfo | undefined;
  const arcount = buf.readUInt16BE(10);
  for (let i = 0; i < arcount; i++) {
    const nameEnd = skipName(buf, offset);
    if (nameEnd < 0 || nameEnd + 10 > buf.length) return formerr(id, flags);
    if (buf.readUInt16BE(nameEnd) === QType.OPT) {
      // RFC 6891: at most one OPT, owned by the root name.
      if (edns !== undefined || nameEnd !== offset + 1) return formerr(id, flags);
      edns = { udpPayloadSize: buf.readUInt16BE(nameEnd + 2), dnssecOk: (buf.readUInt16BE(nameEnd + 6) & EDNS_DO) !== 0 };
    }
    offset = skipRecord(buf, offset);
    if (offset < 0) return formerr(id, flags);
  }
  const query = new ParsedQuery(buf, id, flags, question.nameEnd, question.nameHash, question.qtype, question.qclass, question.end, offset, edns);
  return { kind: 'query', query };
}

function formerr(id: number, flags: number): ParseResult {
  return { kind: 'reject', id, flags, rcode: Rcode.FORMERR };
}

/** Offset after one resource record, or -1 when it runs past the buffer. */
export function skipRecord(buf: Buffer, offset: number): number {
  const nameEnd = skipName(buf, offset);
  if (nameEnd < 0 || nameEnd + 10 > buf.length) return -1;
  const end = nameEnd + 10 + buf.readUInt16BE(nameEnd + 8);
  return end > buf.length ? -1 : end;
}
