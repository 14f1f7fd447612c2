import type { IncomingHttpHeaders } from 'node:http';

/** RFC 9110 §7.6.1 hop-by-hop fields, plus `Expect` which the proxy answers itself. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

const NO_TOKENS: ReadonlySet<string> = new Set();

function connectionTokens(value: string | string[] | undefined): ReadonlySet<string> {
  if (value === undefined) return NO_TOKENS;
  // The usual `Connection: keep-alive` / `close` names no extra field: no set to build.
  if (typeof value === 'string' && value.indexOf(',') < 0) {
    const token = value.trim().toLowerCase();
    if (token === 'keep-alive' || token === 'close' || token === '') return NO_TOKENS;
  }
  const out = new Set<string>();
  for (const v of Array.isArray(value) ? value : [value]) {
    for (const t of v.split(',')) {
      const token = t.trim().toLowerCase();
      if (token) out.add(token);
    }
  }
  return out;
}

function isHopByHop(lower: string, listed: ReadonlySet<string>): boolean {
  return HOP_BY_HOP.has(lower) || lower.startsWith('proxy-') || listed.has(lower);
}

/** Who the request came from, for X-Forwarded-*. */
export interface ForwardedFor {
  remoteAddress: string | undefined;
  proto: 'http' | 'https';
  /** Replaces the request's Host (the authority of an absolute-form target). */
  host?: string;
}

/**
 * The request header list sent upstream, as undici's flat `[name, value, ...]`
 * array so order, case and repeats survive: hop-by-hop fields and those named
 * in `Connection` removed, `Host` kept, the client appended to
 * `X-Forwarded-For`, and `X-Forwarded-Proto` set unless an earlier hop set it.
 * With `keepUpgrade` the `Connection: upgrade` and `Upgrade` fields stay (raw WebSocket passthrough).
 * Null when the request carries more than one Host (RFC 9112 §3.2: answer 400).
 */
export function upstreamRequestHeaders(
  rawHeaders: readonly string[],
  headers: IncomingHttpHeaders,
  from: ForwardedFor,
  keepUpgrade = false,
): string[] | null {
  const listed = connectionTokens(headers.connection);
  const out: string[] = [];
  let xff: string | undefined;
  let xfp = false;
  let hosts = 0;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const value = rawHeaders[i + 1] as string;
    const lower = name.toLowerCase();
    if (lower === 'host') {
      if (++hosts > 1) return null;
      out.push(name, from.host ?? value);
      continue;
    }
    if (lower === 'x-forwarded-for') {
      xff = xff === undefined ? value : `${xff}, ${value}`;
      continue;
    }
    if (lower === 'x-forwarded-proto') xfp = true;
    if (keepUpgrade && lower === 'upgrade') {
      out.push(name, value);
      continue;
    }
    if (isHopByHop(lower, listed)) continue;
    out.push(name, value);
  }
  if (hosts === 0 && from.host !== undefined) out.push('Host', from.host);
  if (keepUpgrade) out.push('Connection', 'Upgrade');
  const remote = from.remoteAddress;
  const client = remote?.startsWith('::ffff:') ? remote.slice(7) : remote;
  if (client !== undefined) xff = xff === undefined ? client : `${xff}, ${client}`;
  if (xff !== undefined) out.push('X-Forwarded-For', xff);
  if (!xfp) out.push('X-Forwarded-Proto', from.proto);
  return out;
}

function latin1(v: Buffer | string): string {
  return typeof v === 'string' ? v : v.toString('latin1');
}

/**
 * The upstream response's raw header list (undici's `[name, value, ...]`
 * buffers, or node's rawHeaders strings) as the flat string list `res.writeHead` takes, hop-by-hop fields
 * removed. Bytes go through latin1, so values are forwarded byte for byte.
 */
export function downstreamRawResponseHeaders(raw: readonly (Buffer | string)[]): string[] {
  const out: string[] = [];
  let connection: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = latin1(raw[i]!);
    const value = latin1(raw[i + 1]!);
    if (name.length === 10 && name.toLowerCase() === 'connection') connection = connection === undefined ? value : `${connection},${value}`;
    out.push(name, value);
  }
  const listed = connectionTokens(connection);
  let n = 0;
  for (let i = 0; i + 1 < out.length; i += 2) {
    const name = out[i]!;
    if (isHopByHop(name.toLowerCase(), listed)) continue;
    out[n++] = name;
    out[n++] = out[i + 1]!;
  }
  out.length = n;
  return out;
}
