import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Counts requests in flight per connection, so close() can drop connections
 * that carry none. Node's own closeIdleConnections() skips connections that
 * were opened but never sent a request (clients pre-connect spares), and
 * those would hold close() until the client's keep-alive timeout.
 */
export class ConnectionTracker {
  readonly #inFlight = new Map<Socket, number>();

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.#inFlight.set(socket, 0);
      socket.once('close', () => this.#inFlight.delete(socket));
    });
    server.on('request', (request, response) => {
      const socket = request.socket;
      this.#inFlight.set(socket, (this.#inFlight.get(socket) ?? 0) + 1);
      response.once('close', () => {
        const count = this.#inFlight.get(socket);
        if (count !== undefined) this.#inFlight.set(socket, count - 1);
      });
    });
  }

  /** Open connections now. */
  get size(): number {
    return this.#inFlight.size;
  }

  /** Destroys every connection with no request in flight. */
  destroyIdle(): void {
    for (const [socket, count] of this.#inFlight) if (count <= 0) socket.destroy();
  }
}
