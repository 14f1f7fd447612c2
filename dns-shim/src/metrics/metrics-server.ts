import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostPort } from '../config/host-port.js';
import type { DnsShim } from '../dns-shim.js';
import { DnsShimErrors } from '../errors.js';

/**
 * dns-shim's small admin endpoint: `/stats` (Prometheus text) and `/ready`
 * (200 once it listens and has a mesh table, so a pod is not ready to call
 * its dependencies by name before their names resolve).
 */
export class MetricsServer {
  private server: Server | undefined;

  constructor(private readonly shim: DnsShim) {}

  listen(at: HostPort): Promise<AddressInfo> {
    const server = createServer((req, res) => {
      void this.route(req.method ?? 'GET', new URL(req.url ?? '/', 'http://localhost').pathname, res);
    });
    return new Promise((resolve, reject) => {
      server.once('error', (err) => reject(new DnsShimErrors.DNS_ERR_LISTEN(`metrics ${at.host}:${at.port}: ${err.message}`, { cause: err })));
      server.listen({ host: at.host, port: at.port }, () => {
        this.server = server;
        resolve(server.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    return new Promise((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  }

  private async route(method: string, path: string, res: ServerResponse): Promise<void> {
    const read = method === 'GET' || method === 'HEAD';
    if (read && (path === '/stats' || path === '/metrics')) {
      const registry = this.shim.metrics.registry;
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
      return;
    }
    if (read && path === '/ready') {
      const table = this.shim.table;
      if (this.shim.address !== undefined && table !== undefined) {
        return json(res, 200, { ready: true, version: table.version, names: table.size });
      }
      const err = new DnsShimErrors.DNS_ERR_NOT_READY();
      const reason = this.shim.address === undefined ? 'not listening' : 'no mesh table yet';
      return json(res, err.statusCode, { code: err.code, message: err.message, reason });
    }
    const err = new DnsShimErrors.DNS_ERR_NOT_FOUND(`${method} ${path}`);
    json(res, err.statusCode, { code: err.code, message: err.message });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
