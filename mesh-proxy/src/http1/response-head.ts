import { BAD_VALUE, DIGITS, FieldLines, HEAD_END, MAX_HEAD_BYTES } from './syntax.js';

const FIELDS = new FieldLines();

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

/** A field name lowercased when it may be one the relay acts on (by length, or a `proxy-` prefix); '' otherwise. */
function specialName(name: string): string {
  const n = name.length;
  if (n === 2 || n === 7 || n === 10 || n === 14 || n === 17 || (n > 6 && (name.charCodeAt(0) | 0x20) === 112)) return name.toLowerCase();
  return '';
}

function hopByHop(lower: string): boolean {
  return lower === 'te' || lower === 'trailer' || lower === 'upgrade' || lower.startsWith('proxy-');
}

/** `HTTP/1.x NNN reason`: the status, or 0 when the line is not one. */
function statusOf(line: string): number {
  if (!line.startsWith('HTTP/1.') || line.length < 12) return 0;
  const v = line.charCodeAt(7);
  if ((v !== 48 && v !== 49) || line.charCodeAt(8) !== 32 || (line.length > 12 && line.charCodeAt(12) !== 32)) return 0;
  const a = line.charCodeAt(9) - 48;
  const b = line.charCodeAt(10) - 48;
  const c = line.charCodeAt(11) - 48;
  if (a < 1 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9 || BAD_VALUE.test(line)) return 0;
  return a * 100 + b * 10 + c;
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
  const statusLine = text.slice(0, lineEnd);
  const status = statusOf(statusLine);
  if (status === 0) return new BadResponse('malformed status line');
  const http10 = statusLine.charCodeAt(7) === 48;
  const lines: string[] = [`HTTP/1.1 ${statusLine.slice(9, 12)} ${statusLine.slice(13)}`];
  let contentLength = -1;
  let chunked = false;
  let close = http10;
  let keepAliveMs = 0;
  let listed: string[] | undefined;
  const f = FIELDS.reset(text, lineEnd + 2);
  while (f.next()) {
    if (f.bad === 'line') return new BadResponse('malformed header line');
    const { line, name, value } = f;
    if (f.bad === 'field') return new BadResponse(`malformed header ${JSON.stringify(name.slice(0, 64))}`);
    const lower = specialName(name);
    if (lower === '') {
      // The usual field: relayed as is.
    } else if (lower === 'content-length') {
      if (!DIGITS.test(value)) return new BadResponse(`bad Content-Length ${JSON.stringify(value.slice(0, 64))}`);
      if (contentLength >= 0 && contentLength !== Number(value)) return new BadResponse('differing Content-Lengths');
      if (contentLength >= 0) continue;
      contentLength = Number(value);
    } else if (lower === 'transfer-encoding') {
      if (chunked || value.toLowerCase() !== 'chunked') return new BadResponse(`Transfer-Encoding ${JSON.stringify(value.slice(0, 64))}`);
      chunked = true;
    } else if (lower === 'connection') {
      // The usual single token needs no split.
      if (value === 'keep-alive') {
        close &&= !http10;
        continue;
      }
      for (const t of value.toLowerCase().split(',')) {
        const token = t.trim();
        if (token === 'close') close = true;
        else if (token === 'keep-alive') close &&= !http10;
        else if (token !== '') (listed ??= []).push(token);
      }
      continue;
    } else if (lower === 'keep-alive') {
      // `timeout=N` as node:http and most servers write it, else the general form.
      const plain = value.startsWith('timeout=') ? Number.parseInt(value.slice(8), 10) : Number.NaN;
      const t = Number.isNaN(plain) ? KEEP_ALIVE_TIMEOUT.exec(value) : null;
      const seconds = t === null ? plain : Number(t[1]);
      if (!Number.isNaN(seconds)) keepAliveMs = seconds * 1000;
      continue;
    } else if (hopByHop(lower)) {
      continue;
    }
    lines.push(line);
  }
  if (chunked && contentLength >= 0) return new BadResponse('both Content-Length and Transfer-Encoding');
  if (listed !== undefined) {
    const drop = new Set(listed);
    for (let i = lines.length - 1; i > 0; i--) {
      const line = lines[i]!;
      if (drop.has(line.slice(0, line.indexOf(':')).toLowerCase())) lines.splice(i, 1);
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
