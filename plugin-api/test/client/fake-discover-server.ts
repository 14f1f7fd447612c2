import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClientTimers } from '../../src/client/discover-client-options.js';

/** What the fake answers instead of the document, for the next `count` requests (default: all). */
export type Fault =
  | { kind: 'status'; status: number; body: string }
  | { kind: 'garbage' }
  | { kind: 'no-etag' }
  | { kind: 'ignore-if-none-match' }
  | { kind: 'hang' };

export interface SeenRequest {
  url: string;
  headers: IncomingMessage['headers'];
}

/**
 * A discover-service stand-in speaking the wire protocol: quoted ETag, If-None-Match + ?wait=
 * long-poll, 304 on expiry. `msPerWaitSecond` shrinks waits so expiry tests stay fast.
 */
export class FakeDiscoverServer {
  readonly requests: SeenRequest[] = [];
  readonly #server: Server;
  #doc: unknown;
  #version: string;
  #held = new Set<{ res: ServerResponse; timer?: NodeJS.Timeout }>();
  #faults: { fault: Fault; remaining: number }[] = [];
  #msPerWaitSecond: number;
  #listeners: (() => void)[] = [];

  constructor(doc: unknown, version: string, msPerWaitSecond = 1000) {
    this.#doc = doc;
    this.#version = version;
    this.#msPerWaitSecond = msPerWaitSecond;
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => resolve());
    });
    return (this.#server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  get heldCount(): number {
    return this.#held.size;
  }

  /** New document version: every held long-poll answers 200 now. */
  publish(doc: unknown, version: string): void {
    this.#doc = doc;
    this.#version = version;
    for (const h of [...this.#held]) {
      clearTimeout(h.timer);
      this.#held.delete(h);
      this.#send(h.res);
    }
  }

  fail(fault: Fault, count = Number.POSITIVE_INFINITY): void {
    this.#faults.push({ fault, remaining: count });
  }

  clearFaults(): void {
    this.#faults = [];
  }

  /** Resolves once `n` requests have arrived in total. */
  async waitForRequests(n: number): Promise<void> {
    while (this.requests.length < n) await new Promise<void>((resolve) => this.#listeners.push(resolve));
  }

  async close(): Promise<void> {
    for (const h of this.#held) {
      clearTimeout(h.timer);
      h.res.destroy();
    }
    this.#held.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push({ url: req.url ?? '', headers: req.headers });
    for (const l of this.#listeners.splice(0)) l();
    const current = this.#faults[0];
    if (current !== undefined) {
      current.remaining -= 1;
      if (current.remaining <= 0) this.#faults.shift();
      const f = current.fault;
      if (f.kind === 'status') {
        res.writeHead(f.status, { 'content-type': 'application/json' }).end(f.body);
        return;
      }
      if (f.kind === 'garbage') {
        res.writeHead(200, { etag: '"garbage"', 'content-type': 'application/json' }).end('{"not json');
        return;
      }
      if (f.kind === 'no-etag') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.#doc));
        return;
      }
      if (f.kind === 'ignore-if-none-match') {
        this.#send(res);
        return;
      }
      // hang: keep the request open until the client gives up or the server closes.
      const hung = { res };
      this.#held.add(hung);
      res.on('close', () => this.#held.delete(hung));
      return;
    }
    const inm = req.headers['if-none-match'];
    const wait = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('wait') ?? '0');
    if (inm !== `"${this.#version}"`) {
      this.#send(res);
      return;
    }
    if (wait <= 0) {
      res.writeHead(304, { etag: `"${this.#version}"` }).end();
      return;
    }
    const entry = {
      res,
      timer: setTimeout(() => {
        this.#held.delete(entry);
        res.writeHead(304, { etag: `"${this.#version}"` }).end();
      }, wait * this.#msPerWaitSecond),
    };
    this.#held.add(entry);
    res.on('close', () => {
      clearTimeout(entry.timer);
      this.#held.delete(entry);
    });
  }

  #send(res: ServerResponse): void {
    res.writeHead(200, { etag: `"${this.#version}"`, 'content-type': 'application/json' }).end(JSON.stringify(this.#doc));
  }
}

/** Timers the test fires by hand: backoff delays are observed without sleeping. */
export class ManualTimers implements ClientTimers {
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  #next = 1;
  #listeners: (() => void)[] = [];

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.pending.set(id, { fn, ms });
    for (const l of this.#listeners.splice(0)) l();
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Waits until a pending timer satisfies `pred`, then fires it and returns its delay. */
  async fireNext(pred: (ms: number) => boolean): Promise<number> {
    for (;;) {
      for (const [id, t] of this.pending) {
        if (pred(t.ms)) {
          this.pending.delete(id);
          t.fn();
          return t.ms;
        }
      }
      await new Promise<void>((resolve) => this.#listeners.push(resolve));
    }
  }
}
