import type { IncomingMessage } from 'node:http';

/** Where a request goes on the upstream: its origin-form path and the Host it carries. */
export interface RequestTarget {
  /** `/path?query` (or `*` / an unparsable target as received, which no default route matches). */
  path: string;
  /** The Host value: the request's own, or the authority of an absolute-form target (RFC 9112 §3.2.2). */
  host: string | undefined;
  /** Set when the Host must be rewritten upstream (absolute-form). */
  rewriteHost: boolean;
}

/**
 * The target of a request. An absolute-form target (`GET http://a/x`) is sent
 * upstream in origin form with Host replaced by its authority, as RFC 9112
 * requires of a proxy, so the upstream and the route checks see the same host.
 * The connection still goes to a configured endpoint: the target only names
 * what to ask it for.
 */
export function requestTarget(req: IncomingMessage): RequestTarget {
  const url = req.url;
  if (url === undefined || url === '') return { path: '/', host: req.headers.host, rewriteHost: false };
  if (url.charCodeAt(0) === 47) return { path: url, host: req.headers.host, rewriteHost: false };
  try {
    const u = new URL(url);
    if (u.host !== '') return { path: `${u.pathname}${u.search}`, host: u.host, rewriteHost: true };
  } catch {
    // Not a URL (`*`, garbage): left as is for the route check to refuse.
  }
  return { path: url, host: req.headers.host, rewriteHost: false };
}

/**
 * Why a request must be refused before anything is forwarded, beyond what
 * node's HTTP parser already rejects (both Content-Length and
 * Transfer-Encoding, bad or repeated Content-Length, bad chunk sizes,
 * obs-fold, bare CR/LF, oversized heads): a transfer coding other than exactly
 * `chunked` (node would decode the chunks and the other codings would be lost
 * on the way), and any Transfer-Encoding on HTTP/1.0 (RFC 9112 §6.1: faulty framing).
 */
export function unforwardableReason(req: IncomingMessage): string | undefined {
  const te = req.headers['transfer-encoding'];
  if (te === undefined) return undefined;
  if (req.httpVersionMajor === 1 && req.httpVersionMinor === 0) return 'Transfer-Encoding in an HTTP/1.0 request';
  if (te.trim().toLowerCase() !== 'chunked') return `Transfer-Encoding "${te}": only "chunked" is forwarded`;
  return undefined;
}
