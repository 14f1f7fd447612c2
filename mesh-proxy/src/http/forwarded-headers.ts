import type { IncomingHttpHeaders } from 'node:http';

/** RFC 9110 §7.6.1 hop-by-hop fields, plus `Expect` which the proxy answers itself. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

const NO_TOKENS: ReadonlySet<string> = new Set();

function connectionTokens(value: string | string[] | undefined): ReadonlySet<string> {
  if (value === undefined) return NO_TOKENS;
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
}

/**
 * The request header list sent upstream, as undici's flat `[name, value, ...]`
 * array so order, case and repeats survive: hop-by-hop fields and those named
 * in `Connection` removed, `Host` kept, the client appended to
 * `X-Forwarded-For`, and `X-Forwarded-Proto` set unless an earlier hop set it.
 * With `keepUpgrade` the `Connection: upgrade` and `Upgrade` fields stay (raw WebSocket passthrough).
 */
export function upstreamRequestHeaders(
  rawHeaders: readonly string[],
  headers: IncomingHttpHeaders,
  from: ForwardedFor,
  keepUpgrade = false,
): string[] {
  const listed = connectionTokens(headers.connection);
  const out: string[] = [];
  let xff: string | undefined;
  let xfp = false;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const value = rawHeaders[i + 1] as string;
    const lower = name.toLowerCase();
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
  if (keepUpgrade) out.push('Connection', 'Upgrade');
  const client = from.remoteAddress?.replace(/^::ffff:/, '');
  if (client !== undefined) xff = xff === undefined ? client : `${xff}, ${client}`;
  if (xff !== undefined) out.push('X-Forwarded-For', xff);
  if (!xfp) out.push('X-Forwarded-Proto', from.proto);
  return out;
}

/** The upstream response headers a client may see (hop-by-hop removed). */
export function downstreamResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const listed = connectionTokens(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || isHopByHop(name.toLowerCase(), listed)) continue;
    out[name] = value;
  }
  return out;
}
