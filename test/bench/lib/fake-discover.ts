import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MeshDocument } from '@meshplug/plugin-api';

const MAX_WAIT_SECONDS = 60;

/**
 * A tiny discover-service stand-in for the data-plane benchmarks: serves fixed MeshDocuments at
 * `/v1/mesh/{ns}/{svc}` with the wire protocol (quoted ETag, If-None-Match + ?wait= long-poll, 304),
 * so mesh-proxy and dns-shim run exactly as they do next to the real one.
 */
export class FakeDiscoverServer {
  readonly #documents = new Map<string, MeshDocument>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #server: Server;

  constructor() {
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  /** Publishes (or replaces) the document of one component; wakes its long-polls. */
  set(doc: MeshDocument): void {
    const path = `/v1/mesh/${doc.namespace}/${doc.service}`;
    this.#documents.set(path, doc);
    const waiters = this.#waiters.get(path);
    this.#waiters.delete(path);
    for (const wake of waiters ?? []) wake();
  }

  async listen(host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, host, resolve));
    const { port } = this.#server.address() as AddressInfo;
    return `http://${host}:${port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const doc = this.#documents.get(url.pathname);
    if (req.method !== 'GET' || doc === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'DISC_ERR_NOT_FOUND', message: `no document at ${url.pathname}` }));
      return;
    }
    const have = req.headers['if-none-match']?.replace(/^W\//, '').replace(/"/g, '');
    const wait = Math.min(MAX_WAIT_SECONDS, Math.max(0, Number(url.searchParams.get('wait') ?? 0) || 0));
    if (have !== doc.version) {
      this.#send(res, doc);
      return;
    }
    if (wait === 0) {
      res.writeHead(304, { etag: `"${doc.version}"` }).end();
      return;
    }
    const waiters = this.#waiters.get(url.pathname) ?? new Set();
    this.#waiters.set(url.pathname, waiters);
    const wake = (): void => {
      clearTimeout(timer);
      const next = this.#documents.get(url.pathname);
      if (next !== undefined && next.version !== have) this.#send(res, next);
      else res.writeHead(304, { etag: `"${have}"` }).end();
    };
    const timer = setTimeout(() => {
      waiters.delete(wake);
      wake();
    }, wait * 1000);
    waiters.add(wake);
    res.on('close', () => {
      clearTimeout(timer);
      waiters.delete(wake);
    });
  }

  #send(res: ServerResponse, doc: MeshDocument): void {
    res.writeHead(200, { 'content-type': 'application/json', etag: `"${doc.version}"` });
    res.end(JSON.stringify(doc));
  }
}
