import type { Socket } from 'node:net';

/** Who an origin connection's events go to while it carries a request. */
export interface OriginOwner {
  onOriginData(chunk: Buffer): void;
  /** The upstream ended or closed the connection (or it failed); `err` when it failed. */
  onOriginEnd(err: Error | undefined): void;
}

/**
 * One keep-alive connection to an upstream endpoint. Its listeners are bound
 * once, for its whole life, and hand events to the request it carries now;
 * an idle connection that talks or closes is dropped from its pool.
 */
export class OriginConnection {
  owner: OriginOwner | undefined = undefined;
  /** Requests sent on it; more than 1 means the current one went out on a reused connection. */
  requests = 0;
  /** `now()` when it went idle. */
  idleSince = 0;
  /** The upstream's own keep-alive timeout (ms), 0 when it named none. */
  keepAliveMs = 0;
  private error: Error | undefined = undefined;

  constructor(
    readonly socket: Socket,
    private readonly onIdleGone: (c: OriginConnection) => void,
  ) {
    socket.on('data', (chunk: Buffer) => {
      if (this.owner !== undefined) this.owner.onOriginData(chunk);
      else socket.destroy();
    });
    socket.on('error', (err) => {
      this.error = err;
    });
    socket.on('end', () => this.gone());
    socket.on('close', () => this.gone());
  }

  get alive(): boolean {
    return !this.socket.destroyed && this.socket.readable;
  }

  /** Sends `data` (the request head, maybe with its body) for `owner`. */
  send(owner: OriginOwner, data: Buffer): void {
    this.owner = owner;
    this.requests += 1;
    this.socket.write(data);
  }

  private gone(): void {
    const owner = this.owner;
    if (owner === undefined) {
      this.socket.destroy();
      this.onIdleGone(this);
      return;
    }
    this.owner = undefined;
    owner.onOriginEnd(this.error);
  }
}
