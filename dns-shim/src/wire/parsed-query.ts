import { HEADER_LENGTH } from './dns-constants.js';
import { wireNameKey } from './name-key.js';

/** EDNS0 as the client sent it (RFC 6891). */
export interface EdnsInfo {
  udpPayloadSize: number;
  dnssecOk: boolean;
}

/**
 * A query that passed every check. Offsets point into `raw`, the message it
 * was read from. The name is kept as bytes plus a hash: mesh lookups compare
 * bytes, and only forwarded questions (cache keys, logs) pay for a string.
 */
export class ParsedQuery {
  /** Tells a query from a rejection in a ParseResult. */
  readonly kind = 'query';
  #nameKey: string | undefined;

  constructor(
    /** The message as received. */
    readonly raw: Buffer,
    readonly id: number,
    /** Raw flags word of the query header. */
    readonly flags: number,
    /** End of the question name (it starts at the header's end). */
    readonly nameEnd: number,
    /** Hash of the name with letters folded (see hashWireName). */
    readonly nameHash: number,
    readonly qtype: number,
    readonly qclass: number,
    /** End of the question section: bytes 12..questionEnd are the client's question. */
    readonly questionEnd: number,
    /** End of the last parsed section; what is forwarded upstream. */
    readonly messageEnd: number,
    readonly edns: EdnsInfo | undefined,
  ) {}

  /**
   * Question name in wire form with ASCII lower-cased, as a latin1 string
   * (length-prefixed labels and the final zero): unambiguous, cheap to hash.
   * Built on first use.
   */
  get nameKey(): string {
    this.#nameKey ??= wireNameKey(this.raw, HEADER_LENGTH, this.nameEnd);
    return this.#nameKey;
  }

}
