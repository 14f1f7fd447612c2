/** The end of a message head. */
export const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

/** Longest head the fast path parses; node:http's own limit (16 KiB) answers longer requests. */
export const MAX_HEAD_BYTES = 16_384;

/** RFC 9110 token: a header name. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Control characters other than HTAB: never in a value the fast path forwards. */
export const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;

/** A Content-Length value. */
export const DIGITS = /^\d{1,15}$/;
