import { connect, type OnReadOpts, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ProxyTimers } from '../options/proxy-options.js';
import type { UpstreamEndpoint } from '../upstream/upstream-endpoint.js';

/**
 * Opens a half-close capable TCP connection to `e`, giving up after
 * `timeoutMs` (ConnectionTimeout) with an error coded `MESH_CONNECT_TIMEOUT`.
 * The callback runs exactly once. With `onread` (see ByteRelay) the socket
 * reads into that buffer and stays paused until resumed.
 */
export function connectUpstream(
  e: UpstreamEndpoint,
  timeoutMs: number,
  timers: ProxyTimers,
  callback: (err: Error | undefined, socket?: Socket) => void,
  onread?: OnReadOpts,
): Socket {
  const socket = connect({ host: e.address, port: e.port, allowHalfOpen: true, noDelay: true, onread });
  if (onread !== undefined) socket.pause();
  let done = false;
  const finish = (err?: Error): void => {
    if (done) return;
    done = true;
    timers.clearTimeout(timer);
    socket.off('connect', onConnect);
    socket.off('error', onError);
    if (err) {
      socket.destroy();
      callback(err);
    } else {
      callback(undefined, socket);
    }
  };
  const onConnect = (): void => finish();
  const onError = (err: Error): void => finish(err);
  const timer = timers.setTimeout(() => {
    const err = Object.assign(new Error(`connect to ${e.id} timed out after ${timeoutMs} ms`), { code: 'MESH_CONNECT_TIMEOUT' });
    finish(err);
  }, timeoutMs);
  socket.once('connect', onConnect);
  socket.once('error', onError);
  return socket;
}

/** Ends `s` and closes it once what was written has been flushed. */
export function closeAfterFlush(s: Duplex): void {
  if (s.destroyed) return;
  if (s.writableFinished) {
    s.destroy();
    return;
  }
  s.once('finish', () => s.destroy());
  s.end();
}
