import { CLASSIC_UDP_PAYLOAD, EDNS_DO, Flag, HEADER_LENGTH, QType } from './dns-constants.js';
import type { ParsedQuery } from './parse-query.js';

/**
 * Everything of a reply after the question, encoded once when the table
 * loads; only the header, the client's question bytes and an OPT record are
 * added per query.
 */
export interface PrebuiltAnswer {
  rcode: number;
  authoritative: boolean;
  ancount: number;
  nscount: number;
  arcount: number;
  /** Answer, authority and additional sections, names written in full (no pointers into the question). */
  tail: Buffer;
  /**
   * The whole reply (ID 0, flags without RD/CD, the name lower-cased) when
   * the answer belongs to exactly one name; undefined for answers shared by
   * many names (NXDOMAIN below a mesh name), which are built from `tail`.
   */
  template: Buffer | undefined;
}

const OPT_LENGTH = 11;

/** Header flags of a reply: QR, opcode QUERY, RD and CD echoed, RA set. */
export function replyFlags(queryFlags: number, rcode: number, authoritative: boolean, truncated = false): number {
  return (
    Flag.QR |
    Flag.RA |
    (queryFlags & (Flag.RD | Flag.CD)) |
    (authoritative ? Flag.AA : 0) |
    (truncated ? Flag.TC : 0) |
    (rcode & 0xf)
  );
}

function writeOpt(out: Buffer, offset: number, query: ParsedQuery, udpPayload: number): void {
  out[offset] = 0;
  out.writeUInt16BE(QType.OPT, offset + 1);
  out.writeUInt16BE(udpPayload, offset + 3);
  out.writeUInt32BE(query.edns?.dnssecOk ? EDNS_DO : 0, offset + 5);
  out.writeUInt16BE(0, offset + 9);
}

/** A mesh reply: header + the client's own question bytes (its case, RFC 4343) + the prebuilt tail (+ OPT). */
export function buildPrebuiltReply(raw: Buffer, query: ParsedQuery, answer: PrebuiltAnswer, udpPayload: number): Buffer {
  const withOpt = query.edns !== undefined;
  const template = answer.template;
  if (template === undefined) return buildFromTail(raw, query, answer, udpPayload);
  // The hot path: one copy of the whole reply, then the few bytes that are the client's, written
  // byte by byte (the offsets are inside the template: no bounds checks needed per field).
  const out = Buffer.allocUnsafe(template.length + (withOpt ? OPT_LENGTH : 0));
  out.set(template, 0);
  out[0] = raw[0] as number;
  out[1] = raw[1] as number;
  // Echo RD (bit 0x01 of byte 2) and CD (bit 0x10 of byte 3); the template has both clear.
  out[2] = (template[2] as number) | ((raw[2] as number) & (Flag.RD >> 8));
  out[3] = (template[3] as number) | ((raw[3] as number) & Flag.CD);
  // Name (same length as the template's, it matched) and type; the class is IN, as in the template.
  copyQuestion(raw, out, query.nameEnd + 2);
  if (withOpt) {
    out.writeUInt16BE(answer.arcount + 1, 10);
    writeOpt(out, template.length, query, udpPayload);
  }
  return out;
}

/** Copies `from[12..end)` (the question, or part of it) to the same place in `to`. A byte loop: Buffer#copy's checks cost more at this size. */
export function copyQuestion(from: Buffer, to: Buffer, end: number): void {
  for (let i = HEADER_LENGTH; i < end; i++) to[i] = from[i] as number;
}

function buildFromTail(raw: Buffer, query: ParsedQuery, answer: PrebuiltAnswer, udpPayload: number): Buffer {
  const questionLength = query.questionEnd - HEADER_LENGTH;
  const withOpt = query.edns !== undefined;
  const out = Buffer.allocUnsafe(query.questionEnd + answer.tail.length + (withOpt ? OPT_LENGTH : 0));
  out.writeUInt16BE(query.id, 0);
  out.writeUInt16BE(replyFlags(query.flags, answer.rcode, answer.authoritative), 2);
  out.writeUInt16BE(1, 4);
  out.writeUInt16BE(answer.ancount, 6);
  out.writeUInt16BE(answer.nscount, 8);
  out.writeUInt16BE(answer.arcount + (withOpt ? 1 : 0), 10);
  raw.copy(out, HEADER_LENGTH, HEADER_LENGTH, HEADER_LENGTH + questionLength);
  answer.tail.copy(out, query.questionEnd);
  if (withOpt) writeOpt(out, query.questionEnd + answer.tail.length, query, udpPayload);
  return out;
}

/** Header + question (+ OPT), no records: errors (SERVFAIL, REFUSED) and truncated (TC) replies. */
export function buildEmptyReply(
  raw: Buffer,
  query: ParsedQuery,
  rcode: number,
  udpPayload: number,
  truncated = false,
): Buffer {
  const withOpt = query.edns !== undefined;
  const out = Buffer.allocUnsafe(query.questionEnd + (withOpt ? OPT_LENGTH : 0));
  out.writeUInt16BE(query.id, 0);
  out.writeUInt16BE(replyFlags(query.flags, rcode, false, truncated), 2);
  out.writeUInt16BE(1, 4);
  out.writeUInt32BE(0, 6);
  out.writeUInt16BE(withOpt ? 1 : 0, 10);
  raw.copy(out, HEADER_LENGTH, HEADER_LENGTH, query.questionEnd);
  if (withOpt) writeOpt(out, query.questionEnd, query, udpPayload);
  return out;
}

/** Header only, for queries whose question could not be read (FORMERR, NOTIMP). */
export function buildHeaderReply(id: number, queryFlags: number, rcode: number): Buffer {
  const out = Buffer.alloc(HEADER_LENGTH);
  out.writeUInt16BE(id, 0);
  // Echo the opcode so NOTIMP names what was not implemented.
  out.writeUInt16BE(replyFlags(queryFlags, rcode, false) | (queryFlags & 0x7800), 2);
  return out;
}

/** The largest UDP reply this client accepts (RFC 6891 §6.2.5: never below 512). */
export function clientUdpLimit(query: ParsedQuery, ourMax: number): number {
  const asked = query.edns?.udpPayloadSize ?? CLASSIC_UDP_PAYLOAD;
  return Math.min(Math.max(asked, CLASSIC_UDP_PAYLOAD), ourMax);
}
