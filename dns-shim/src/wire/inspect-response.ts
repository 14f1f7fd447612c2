import { Flag, HEADER_LENGTH, QType, Rcode } from './dns-constants.js';
import { wireNameKey } from './name-key.js';
import { parseQuestion } from './parse-question.js';
import { skipName } from './skip-name.js';

/** What the forwarder needs to know about an upstream reply. */
export interface ResponseInfo {
  id: number;
  rcode: number;
  truncated: boolean;
  /** Lower-cased wire-form question name (see ParsedQuery.nameKey), qtype and qclass. */
  nameKey: string;
  qtype: number;
  qclass: number;
  questionEnd: number;
  /** Offsets of every TTL field except OPT's (which holds flags, not a TTL). */
  ttlOffsets: number[];
  /**
   * Seconds the reply may be cached: the smallest answer TTL for positive
   * replies, min(SOA TTL, SOA MINIMUM) for NXDOMAIN/NODATA (RFC 2308);
   * 0 when it must not be cached.
   */
  cacheTtl: number;
  negative: boolean;
}

/** Walks an upstream reply with every bound checked; undefined when it is malformed or not a reply. */
export function inspectResponse(buf: Buffer): ResponseInfo | undefined {
  if (buf.length < HEADER_LENGTH) return undefined;
  const flags = buf.readUInt16BE(2);
  if ((flags & Flag.QR) === 0) return undefined;
  const question = parseQuestion(buf);
  if (question === undefined) return undefined;
  const counts = [buf.readUInt16BE(6), buf.readUInt16BE(8), buf.readUInt16BE(10)] as const;
  const ttlOffsets: number[] = [];
  let minAnswerTtl = Infinity;
  let negativeTtl = Infinity;
  let offset = question.end;
  for (let section = 0; section < 3; section++) {
    for (let i = 0; i < counts[section]!; i++) {
      const nameEnd = skipName(buf, offset);
      if (nameEnd < 0 || nameEnd + 10 > buf.length) return undefined;
      const type = buf.readUInt16BE(nameEnd);
      const ttl = buf.readUInt32BE(nameEnd + 4);
      const rdStart = nameEnd + 10;
      const rdEnd = rdStart + buf.readUInt16BE(nameEnd + 8);
      if (rdEnd > buf.length) return undefined;
      if (type !== QType.OPT) ttlOffsets.push(nameEnd + 4);
      if (section === 0) minAnswerTtl = Math.min(minAnswerTtl, ttl);
      if (section === 1 && type === QType.SOA) {
        const minimum = soaMinimum(buf, rdStart, rdEnd);
        if (minimum === undefined) return undefined;
        negativeTtl = Math.min(negativeTtl, ttl, minimum);
      }
      offset = rdEnd;
    }
  }
  const rcode = flags & 0xf;
  const truncated = (flags & Flag.TC) !== 0;
  const negative = rcode === Rcode.NXDOMAIN || (rcode === Rcode.NOERROR && counts[0] === 0);
  let cacheTtl = 0;
  if (!truncated && rcode === Rcode.NOERROR && counts[0] > 0) cacheTtl = minAnswerTtl;
  else if (!truncated && negative && negativeTtl !== Infinity) cacheTtl = negativeTtl;
  return {
    id: buf.readUInt16BE(0),
    rcode,
    truncated,
    nameKey: wireNameKey(buf, HEADER_LENGTH, question.nameEnd),
    qtype: question.qtype,
    qclass: question.qclass,
    questionEnd: question.end,
    ttlOffsets,
    cacheTtl,
    negative,
  };
}

/** SOA RDATA: MNAME, RNAME, then five 32-bit fields of which MINIMUM is the last. */
function soaMinimum(buf: Buffer, start: number, end: number): number | undefined {
  const mnameEnd = skipName(buf, start);
  if (mnameEnd < 0) return undefined;
  const rnameEnd = skipName(buf, mnameEnd);
  if (rnameEnd < 0 || rnameEnd + 20 > end) return undefined;
  return buf.readUInt32BE(rnameEnd + 16);
}
