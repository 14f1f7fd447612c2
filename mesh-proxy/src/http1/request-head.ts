import { DIGITS, FieldLines, HEAD_END, MAX_HEAD_BYTES } from './syntax.js';

const FIELDS = new FieldLines();

/** What the fast path leaves to node:http (whose parser rejects or handles it). */
export const FALLBACK = Symbol('fallback');

/** Methods forwarded on the fast path; others (CONNECT, TRACE, extension methods) go through node:http. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/** Origin-form target: `/` then visible ASCII only. */
const ORIGIN_FORM = /^\/[\x21-\x7e]*$/;

/** A line end without its CR: the head may be complete in a form only node:http's parser judges. */
function hasBareLf(buf: Buffer): boolean {
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) {
    if (i === 0 || buf[i - 1] !== 13) return true;
  }
  return false;
}

/** A request head the fast path forwards as is, but for the hop-by-hop fields and X-Forwarded-*. */
export interface RequestHead {
  readonly method: string;
  /** The origin-form target. */
  readonly path: string;
  /** Bytes of the head, blank line included. */
  readonly headLength: number;
  /** Content-Length; 0 without one. */
  readonly contentLength: number;
  /** The client sent `Connection: close`. */
  readonly close: boolean;
  /** The head to write upstream, blank line included. */
  readonly upstreamHead: string;
}

/**
 * Parses the HTTP/1.1 request head at the start of `buf`: null while it is
 * incomplete, FALLBACK for anything the fast path does not forward itself.
 *
 * Only the plainest requests qualify: a known method, an origin-form target,
 * HTTP/1.1, one Host, at most one Content-Length and no Transfer-Encoding,
 * Expect, Upgrade, TE, Trailer or Connection option other than keep-alive or
 * close, every line ending in CRLF, names that are tokens, values free of
 * control characters. The rest (chunked uploads, 100-continue, WebSocket,
 * absolute-form, HTTP/1.0, and every malformed or ambiguous head) takes the
 * node:http path, whose parser is the one that refuses smuggling attempts.
 *
 * The upstream head keeps the request line and the other fields in order and
 * byte for byte, drops Connection, Keep-Alive and Proxy-*, moves
 * X-Forwarded-For to the end with the client appended, and adds
 * `X-Forwarded-Proto: http` unless an earlier hop set one, as the node:http
 * path does.
 */
export function parseRequestHead(buf: Buffer, client: string | undefined): RequestHead | null | typeof FALLBACK {
  const end = buf.indexOf(HEAD_END);
  if (end < 0) return buf.length > MAX_HEAD_BYTES || hasBareLf(buf) ? FALLBACK : null;
  if (end > MAX_HEAD_BYTES) return FALLBACK;
  const text = buf.toString('latin1', 0, end);
  let lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) lineEnd = text.length;
  const sp1 = text.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : text.indexOf(' ', sp1 + 1);
  if (sp2 < 0 || sp2 > lineEnd) return FALLBACK;
  const method = text.slice(0, sp1);
  const path = text.slice(sp1 + 1, sp2);
  if (!METHODS.has(method) || text.slice(sp2 + 1, lineEnd) !== 'HTTP/1.1' || !ORIGIN_FORM.test(path)) return FALLBACK;

  let out = text.slice(0, lineEnd + 2);
  let hosts = 0;
  let contentLength = -1;
  let close = false;
  let xff: string | undefined;
  let xfp = false;
  const f = FIELDS.reset(text, lineEnd + 2);
  while (f.next()) {
    if (f.bad !== '') return FALLBACK;
    const { line, name, value } = f;
    const n = name.length;
    // Only names of these lengths (or `proxy-*`) are acted on: the usual field skips the lowercasing.
    const special = n === 2 || n === 4 || n === 6 || n === 7 || n === 10 || n === 14 || n === 15 || n === 17 || (n > 6 && (name.charCodeAt(0) | 0x20) === 112);
    switch (special ? name.toLowerCase() : '') {
      case 'host':
        hosts += 1;
        break;
      case 'content-length':
        if (contentLength >= 0 || !DIGITS.test(value)) return FALLBACK;
        contentLength = Number(value);
        break;
      case 'connection': {
        const token = value.toLowerCase();
        if (token === 'close') close = true;
        else if (token !== 'keep-alive') return FALLBACK;
        continue;
      }
      case 'keep-alive':
        continue;
      case 'transfer-encoding':
      case 'expect':
      case 'upgrade':
      case 'te':
      case 'trailer':
      case 'http2-settings':
        return FALLBACK;
      case 'x-forwarded-for':
        xff = xff === undefined ? value : `${xff}, ${value}`;
        continue;
      case 'x-forwarded-proto':
        xfp = true;
        break;
      default:
        if (special && n > 6 && name.slice(0, 6).toLowerCase() === 'proxy-') continue;
    }
    out += `${line}\r\n`;
  }
  if (hosts !== 1) return FALLBACK;
  if (client !== undefined) xff = xff === undefined ? client : `${xff}, ${client}`;
  if (xff !== undefined) out += `X-Forwarded-For: ${xff}\r\n`;
  if (!xfp) out += 'X-Forwarded-Proto: http\r\n';
  return { method, path, headLength: end + 4, contentLength: Math.max(0, contentLength), close, upstreamHead: `${out}\r\n` };
}
