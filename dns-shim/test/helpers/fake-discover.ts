import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MeshDocument } from '@meshplug/plugin-api';

/**
 * discover-service's `/v1/mesh/{ns}/{svc}` for one document, with the wire
 * protocol's ETag / If-None-Match / ?wait= long-poll. Records request headers.
 */
export class FakeDiscover {
  readonly requests: IncomingHttpHeaders[] = [];
  private doc: unknown;
  private version: string | undefined;
  private readonly waiters = new Set<() => void>();
  private server: Server | undefined;
  url = '';

  constructor(private readonly path = '/v1/mesh/shop/web') {}

  /** Serves `doc` as version `version` and wakes every long-poll. */
  publish(doc: MeshDocument | unknown, version: string): void {
    this.doc = doc;
    this.version = version;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests.push(req.headers);
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== this.path || this.version === undefined) {
        return send(res, 404, { code: 'DISC_ERR_NOT_FOUND', message: 'not found' });
      }
      const have = req.headers['if-none-match']?.replace(/"/g, '');
      const wait = Math.min(Number(url.searchParams.get('wait') ?? 0), 60);
      if (have !== this.version) return this.sendDoc(res);
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        res.writeHead(304, { etag: `"${this.version}"` });
        res.end();
      }, wait * 1000);
      const wake = (): void => {
        clearTimeout(timer);
        this.sendDoc(res);
      };
      this.waiters.add(wake);
      res.on('close', () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private sendDoc(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json', etag: `"${this.version}"` });
    res.end(JSON.stringify(this.doc));
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Polls `check` every 10 ms until it is true or `timeoutMs` passes (bounded waits, no sleeps as assertions). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}
