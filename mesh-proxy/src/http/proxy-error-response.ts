import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { MeshplugError } from '@meshplug/plugin-api';

export const PROXY_ERROR_HEADER = 'x-meshplug-error';

/**
 * Answers with an error the proxy made itself: JSON `{code, message}` and the
 * code in `x-meshplug-error`, so callers can tell proxy failures from the
 * upstream's own 5xx. Once the upstream response has started, the only honest
 * signal left is to cut the connection.
 */
export function sendProxyError(res: ServerResponse, err: MeshplugError, closeConnection: boolean): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(err.toJSON());
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    [PROXY_ERROR_HEADER]: err.code,
  };
  if (closeConnection) headers.connection = 'close';
  res.writeHead(err.statusCode, headers);
  res.end(body);
}

/**
 * The same answer as raw bytes, for sockets node:http does not serve (upgrades, CONNECT, the
 * HTTP/1.1 fast path); with `close` (the default) it says the connection closes.
 */
export function rawProxyErrorResponse(err: MeshplugError, close = true): string {
  const body = JSON.stringify(err.toJSON());
  return (
    `HTTP/1.1 ${err.statusCode} ${STATUS_CODES[err.statusCode] ?? ''}\r\n` +
    `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
    `${PROXY_ERROR_HEADER}: ${err.code}\r\n${close ? 'connection: close\r\n' : ''}\r\n${body}`
  );
}
