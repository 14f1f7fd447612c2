/** The few DNS wire constants dns-shim reads and writes directly (RFC 1035, 2308, 6891). */
export const HEADER_LENGTH = 12;
export const MAX_NAME_LENGTH = 255;
export const MAX_LABEL_LENGTH = 63;
/** Largest reply a client without EDNS0 accepts over UDP. */
export const CLASSIC_UDP_PAYLOAD = 512;

export const Rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export const QType = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, ANY: 255 } as const;

export const QCLASS_IN = 1;

/** Header flag bits (second 16-bit word). */
export const Flag = { QR: 0x8000, AA: 0x0400, TC: 0x0200, RD: 0x0100, RA: 0x0080, AD: 0x0020, CD: 0x0010 } as const;
export const OPCODE_MASK = 0x7800;
/** DO bit inside an OPT record's TTL field (RFC 3225). */
export const EDNS_DO = 0x8000;
