import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger, MeshplugError } from '@meshplug/plugin-api';
import type { Registry } from 'prom-client';
import { MeshProxyErrors } from '../errors.js';

/** What the admin API reads from the proxy; the proxy implements it. */
export interface AdminSource {
  /** Why the proxy is not ready, or undefined when it is. */
  notReadyReason(): string | undefined;
  config(): unknown;
  clusters(): unknown;
  readonly registry: Registry;
  /** Starts a drain; the promise settles when it is over. */
  drain(): Promise<void>;
}

const SELF_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * A caller counts as local when it comes from the pod's own loopback address
 * or from the very address the admin API listens on. Other 127.x sources are
 * other "pods" in the local demo, where each pod has its own 127.0.1.x.
 */
export function isLocalCaller(req: IncomingMessage): boolean {
  const remote = req.socket.remoteAddress;
  if (remote === undefined) return false;
  return SELF_ADDRESSES.has(remote) || remote === req.socket.localAddress;
}

function sendError(res: ServerResponse, err: MeshplugError): void {
  sendJson(res, err.statusCode, err.toJSON());
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The sidecar's admin API (Envoy's :15000): `/ready`, `/config`, `/clusters`, `/stats`, `POST /drain`. */
export class AdminServer {
  private readonly server: Server;

  constructor(
    private readonly source: AdminSource,
    private readonly logger: Logger,
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.logger.error({ err }, 'admin request failed');
        if (!res.headersSent) sendError(res, new MeshProxyErrors.MESH_ERR_ADMIN((err as Error).message));
        else res.destroy();
      });
    });
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host, port }, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://admin').pathname;
    const method = req.method ?? 'GET';
    const route = `${method === 'HEAD' ? 'GET' : method} ${path}`;
    switch (route) {
      case 'GET /ready': {
        const reason = this.source.notReadyReason();
        return reason === undefined ? sendJson(res, 200, { ready: true }) : sendJson(res, 503, { ready: false, reason });
      }
      case 'GET /config':
        return sendJson(res, 200, this.source.config());
      case 'GET /clusters':
        return sendJson(res, 200, this.source.clusters());
      case 'GET /stats': {
        const text = await this.source.registry.metrics();
        res.writeHead(200, { 'content-type': this.source.registry.contentType });
        res.end(text);
        return;
      }
      case 'POST /drain':
        if (!isLocalCaller(req)) {
          return sendError(res, new MeshProxyErrors.MESH_ERR_FORBIDDEN(`POST /drain from ${req.socket.remoteAddress ?? '?'}`));
        }
        this.logger.info({ caller: req.socket.remoteAddress }, 'drain requested');
        void this.source.drain();
        return sendJson(res, 202, { draining: true });
      default: {
        const known = ['/ready', '/config', '/clusters', '/stats', '/drain'].includes(path);
        return known
          ? sendError(res, new MeshProxyErrors.MESH_ERR_METHOD_NOT_ALLOWED(`${method} ${path}`))
          : sendError(res, new MeshProxyErrors.MESH_ERR_NOT_FOUND(path));
      }
    }
  }
}
