import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MeshDocument } from '@meshplug/plugin-api';

/**
 * A small discover-service: serves one mesh document at /v1/mesh/{ns}/{svc}
 * with ETag, If-None-Match and ?wait= long-poll, and records the sidecar
 * headers of every poll.
 */
export class FakeDiscover {
  private doc: MeshDocument;
  private readonly server: Server;
  private readonly waiters = new Set<() => void>();
  readonly polls: Record<string, string | undefined>[] = [];
  url = '';

  constructor(doc: MeshDocument) {
    this.doc = doc;
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Publishes a new version; held long-polls answer at once. */
  set(doc: MeshDocument): void {
    this.doc = doc;
    for (const w of [...this.waiters]) w();
  }

  lastAppliedVersion(): string | undefined {
    return this.polls.at(-1)?.['x-meshplug-applied-version'];
  }

  async close(): Promise<void> {
    for (const w of [...this.waiters]) w();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== `/v1/mesh/${this.doc.namespace}/${this.doc.service}`) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'DISC_ERR_NOT_FOUND', message: 'not found' }));
      return;
    }
    this.polls.push({
      'x-meshplug-proxy-id': req.headers['x-meshplug-proxy-id'] as string | undefined,
      'x-meshplug-proxy-kind': req.headers['x-meshplug-proxy-kind'] as string | undefined,
      'x-meshplug-applied-version': req.headers['x-meshplug-applied-version'] as string | undefined,
      authorization: req.headers.authorization,
    });
    const have = req.headers['if-none-match']?.replace(/"/g, '');
    const send = (): void => {
      res.writeHead(200, { 'content-type': 'application/json', etag: `"${this.doc.version}"` });
      res.end(JSON.stringify(this.doc));
    };
    if (have === undefined || have !== this.doc.version) return send();
    const wait = Math.min(60, Number(url.searchParams.get('wait') ?? 0));
    const done = (): void => {
      clearTimeout(timer);
      this.waiters.delete(done);
      if (res.writableEnded) return;
      if (have !== this.doc.version) send();
      else {
        res.writeHead(304, { etag: `"${this.doc.version}"` });
        res.end();
      }
    };
    const timer = setTimeout(done, wait * 1000);
    this.waiters.add(done);
    res.on('close', () => {
      clearTimeout(timer);
      this.waiters.delete(done);
    });
  }
}
