import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';

/** What net's Socket accepts besides its typed options: the handle of an accepted connection. */
interface HandleOptions extends SocketConstructorOpts {
  handle: unknown;
  onread: OnReadOpts;
}

/**
 * net.Server has no `onread` option, so a connection it accepted is taken
 * over: a new Socket wraps the same handle with `onread` and starts paused.
 * Call it in the server's 'connection' listener, before any read. The
 * accepted Socket, which the listener tracks (connection count, drain),
 * stays as a stand-in without a handle: it closes when the new one closes,
 * and destroying it (a drain deadline) destroys the new one.
 */
export function adoptAcceptedSocket(accepted: Socket, onread: OnReadOpts): Socket {
  const holder = accepted as unknown as { _handle: unknown };
  const options: HandleOptions = { handle: holder._handle, allowHalfOpen: true, onread };
  const socket = new Socket(options);
  socket.pause();
  // Without a handle, destroying the stand-in only emits 'close' (and counts the server connection closed).
  holder._handle = null;
  socket.once('close', () => accepted.destroy());
  accepted.once('close', () => socket.destroy());
  return socket;
}
