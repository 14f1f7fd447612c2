import { Agent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { createRequire } from 'node:module';
import type { DiscoverRequest, DiscoverResponse, DiscoverTransport } from './discover-transport.js';

const require = createRequire(import.meta.url);

type RequestFn = (url: URL, options: RequestOptions, callback: (res: IncomingMessage) => void) => ClientRequest;

/**
 * The default transport: node:http on keep-alive sockets. A sidecar loads node:http for its listeners
 * anyway, while undici (with the web streams, http2, tls and zlib it pulls in) measured ~7 MiB of a
 * sidecar's 60 MB budget; node:https is only loaded for an `https:` discover-service.
 */
export class NodeHttpTransport implements DiscoverTransport {
  #http: { request: RequestFn; agent: Agent } | undefined;
  #https: { request: RequestFn; agent: Agent } | undefined;

  send(req: DiscoverRequest): Promise<DiscoverResponse> {
    const { request, agent } = req.url.protocol === 'https:' ? this.#secure() : this.#plain();
    const headers = req.body === undefined ? req.headers : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) };
    return new Promise((resolve, reject) => {
      const out = request(req.url, { method: req.method, headers, agent, signal: req.signal }, (res) => {
        const chunks: string[] = [];
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: chunks.join('') }));
        res.on('error', reject);
        // A connection lost mid-body may end the response without an error event.
        res.on('close', () => {
          if (!res.complete) reject(new Error(`${req.method} ${req.url.href}: connection closed before the body ended`));
        });
      });
      out.on('error', reject);
      out.end(req.body);
    });
  }

  #plain(): { request: RequestFn; agent: Agent } {
    return (this.#http ??= { request: httpRequest, agent: new Agent({ keepAlive: true }) });
  }

  #secure(): { request: RequestFn; agent: Agent } {
    if (this.#https === undefined) {
      const https = require('node:https') as typeof import('node:https');
      this.#https = { request: https.request, agent: new https.Agent({ keepAlive: true }) };
    }
    return this.#https;
  }
}
