import { Flag, HEADER_LENGTH } from '../wire/dns-constants.js';
import { wireNameKey } from '../wire/name-key.js';
import { parseQuestion } from '../wire/parse-question.js';

/**
 * A reply belongs to a query when it is a response with the same ID and the
 * same question (case-insensitively): anything else is a stray or a spoof.
 */
export function replyMatches(reply: Buffer, id: number, question: Buffer): boolean {
  if (reply.length < 12 || reply.readUInt16BE(0) !== id || (reply.readUInt16BE(2) & Flag.QR) === 0) return false;
  const got = parseQuestion(reply);
  const sent = parseQuestion(question);
  return (
    got !== undefined &&
    sent !== undefined &&
    got.nameHash === sent.nameHash &&
    got.qtype === sent.qtype &&
    got.qclass === sent.qclass &&
    wireNameKey(reply, HEADER_LENGTH, got.nameEnd) === wireNameKey(question, HEADER_LENGTH, sent.nameEnd)
  );
}
