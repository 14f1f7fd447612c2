import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/** A dispatch handler that wants to know which socket its request went out on. */
export interface SocketListener {
  onSocket(socket: Socket): void;
}

let expecting: SocketListener | undefined;

/*
 * undici hands a dispatch handler no socket, but it publishes
 * `undici:client:sendHeaders` ({ request, headers, socket }) right after it
 * called the handler's `onConnect`, in the same synchronous call (client-h1
 * `writeH1`; only an abort from inside `onConnect` skips it). So the first
 * message after `expectSocket(h)` is h's request. Node's own fetch publishes
 * on the same channel name; with nothing expected its messages are ignored.
 */
subscribe('undici:client:sendHeaders', (message) => {
  const listener = expecting;
  if (listener === undefined) return;
  expecting = undefined;
  listener.onSocket((message as { socket: Socket }).socket);
});

/** Call from `onConnect` (unless it aborted the request): the socket about to carry the request goes to `listener`. */
export function expectSocket(listener: SocketListener): void {
  expecting = listener;
}

/** Withdraws an expectation that was never met, so no later request's socket goes to `listener`. */
export function forgetSocket(listener: SocketListener): void {
  if (expecting === listener) expecting = undefined;
}
