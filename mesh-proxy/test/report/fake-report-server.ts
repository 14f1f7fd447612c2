import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MeshDocument, ProxyReport } from '@meshplug/plugin-api';

export interface ReceivedReport {
  headers: IncomingHttpHeaders;
  body: ProxyReport;
}

/**
 * A discover-service for the reporter: serves one mesh document at /v1/mesh/{ns}/{svc} (a poll with
 * the current version is held until close) and records `POST /v1/proxies/report`, answering `status`.
 */
export class FakeReportServer {
  readonly reports: ReceivedReport[] = [];
  /** Status of the next report answers; 0 leaves them unanswered (a hung discover-service). */
  status = 204;
  url = '';
  private readonly server: Server;

  constructor(private readonly doc: MeshDocument) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'POST' && path === '/v1/proxies/report') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      this.reports.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ProxyReport });
      if (this.status === 0) return;
      res.writeHead(this.status, { 'content-type': 'application/json' });
      res.end(this.status === 204 ? undefined : JSON.stringify({ code: 'DISC_ERR_NOT_READY', message: 'not now' }));
      return;
    }
    if (path !== `/v1/mesh/${this.doc.namespace}/${this.doc.service}`) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'DISC_ERR_NOT_FOUND', message: 'not found' }));
      return;
    }
    // Held until close: the test is about reports, not config changes.
    if (req.headers['if-none-match']?.replace(/"/g, '') === this.doc.version) return;
    res.writeHead(200, { 'content-type': 'application/json', etag: `"${this.doc.version}"` });
    res.end(JSON.stringify(this.doc));
  }
}
