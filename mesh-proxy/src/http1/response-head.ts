import { BAD_VALUE, DIGITS, HEAD_END, MAX_HEAD_BYTES, TOKEN } from './syntax.js';

const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([^\x00-\x08\x0a-\x1f\x7f]*))?$/;
const KEEP_ALIVE_TIMEOUT = /(?:^|[,;\s])timeout\s*=\s*(\d+)/i;

/** The body's framing: a byte count, `chunked`, or until the upstream closes. */
export const CHUNKED = -1;
export const UNTIL_CLOSE = -2;

/** An upstream response head as the fast path relays it. */
export interface ResponseHead {
  readonly status: number;
  /** Bytes of the head, blank line included. */
  readonly headLength: number;
  /** Body bytes to relay, CHUNKED or UNTIL_CLOSE; 0 for HEAD, 1xx, 204 and 304. */
  readonly bodyLength: number;
  /** The upstream connection may carry another request after this response. */
  readonly reusable: boolean;
  /** The upstream's `Keep-Alive: timeout=N` in ms, 0 without one. */
  readonly keepAliveMs: number;
  /** Status line and fields for the client, without the blank line (the caller may add `connection: close`). */
  readonly clientHead: string;
}

/** Why an upstream response cannot be relayed: a protocol error, answered 502. */
export class BadResponse {
  constructor(readonly reason: string) {}
}

function hopByHop(lower: string): boolean {
  return lower === 'keep-alive' || lower === 'proxy-connection' || lower === 'te' || lower === 'trailer' || lower === 'upgrade';
}

/**
 * Parses the response head at the start of `buf`: null while incomplete.
 * Framing follows RFC 9112 §6.3; a head that could be read two ways (both
 * Content-Length and Transfer-Encoding, differing Content-Lengths, a transfer
 * coding other than chunked, bare LF, obs-fold) is a BadResponse, never
 * relayed. The chunked framing passes through as received, so
 * Transfer-Encoding stays; Connection, Keep-Alive and the fields Connection
 * names are dropped.
 */
export function parseResponseHead(buf: Buffer, headRequest: boolean): ResponseHead | BadResponse | null {
  const end = buf.indexOf(HEAD_END);
  if (end < 0) return buf.length > MAX_HEAD_BYTES ? new BadResponse('response head over 16 KiB') : null;
  if (end > MAX_HEAD_BYTES) return new BadResponse('response head over 16 KiB');
  const text = buf.toString('latin1', 0, end);
  let lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) lineEnd = text.length;
  const m = STATUS_LINE.exec(text.slice(0, lineEnd));
  if (m === null) return new BadResponse('malformed status line');
  const http10 = m[1] === '0';
  const status = Number(m[2]);
  const lines: string[] = [`HTTP/1.1 ${m[2]} ${m[3] ?? ''}`];
  const names: string[] = [''];
  let contentLength = -1;
  let chunked = false;
  let close = http10;
  let keepAliveMs = 0;
  let listed: string[] | undefined;
  let pos = lineEnd + 2;
  while (pos < end) {
    let next = text.indexOf('\r\n', pos);
    if (next < 0) next = end;
    const line = text.slice(pos, next);
    pos = next + 2;
    const colon = line.indexOf(':');
    if (colon <= 0) return new BadResponse('malformed header line');
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (!TOKEN.test(name) || BAD_VALUE.test(value)) return new BadResponse(`malformed header ${JSON.stringify(name.slice(0, 64))}`);
    const lower = name.toLowerCase();
    if (lower === 'content-length') {
      if (!DIGITS.test(value)) return new BadResponse(`bad Content-Length ${JSON.stringify(value.slice(0, 64))}`);
      if (contentLength >= 0 && contentLength !== Number(value)) return new BadResponse('differing Content-Lengths');
      if (contentLength >= 0) continue;
      contentLength = Number(value);
    } else if (lower === 'transfer-encoding') {
      if (chunked || value.toLowerCase() !== 'chunked') return new BadResponse(`Transfer-Encoding ${JSON.stringify(value.slice(0, 64))}`);
      chunked = true;
    } else if (lower === 'connection') {
      for (const t of value.toLowerCase().split(',')) {
        const token = t.trim();
        if (token === 'close') close = true;
        else if (token === 'keep-alive') close &&= !http10;
        else if (token !== '') (listed ??= []).push(token);
      }
      continue;
    } else if (lower === 'keep-alive') {
      const t = KEEP_ALIVE_TIMEOUT.exec(value);
      if (t !== null) keepAliveMs = Number(t[1]) * 1000;
      continue;
    } else if (hopByHop(lower) || lower.startsWith('proxy-')) {
      continue;
    }
    lines.push(line);
    names.push(lower);
  }
  if (chunked && contentLength >= 0) return new BadResponse('both Content-Length and Transfer-Encoding');
  if (listed !== undefined) {
    const drop = new Set(listed);
    for (let i = lines.length - 1; i > 0; i--) {
      if (drop.has(names[i]!)) lines.splice(i, 1);
    }
  }
  const noBody = headRequest || status < 200 || status === 204 || status === 304;
  const bodyLength = noBody ? 0 : chunked ? CHUNKED : contentLength >= 0 ? contentLength : UNTIL_CLOSE;
  return {
    status,
    headLength: end + 4,
    bodyLength,
    reusable: !close && bodyLength !== UNTIL_CLOSE,
    keepAliveMs,
    clientHead: `${lines.join('\r\n')}\r\n`,
  };
}
