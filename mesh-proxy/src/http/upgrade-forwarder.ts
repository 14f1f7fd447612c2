import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger, MeshplugError } from '@meshplug/plugin-api';
import { MeshProxyErrors } from '../errors.js';
import { closeAfterFlush, connectUpstream } from '../tcp/connect-upstream.js';
import type { ProxyTimers } from '../options/proxy-options.js';
import type { UpstreamCluster } from '../upstream/upstream-cluster.js';
import { upstreamRequestHeaders } from './forwarded-headers.js';
import { PROXY_ERROR_HEADER } from './proxy-error-response.js';

export interface UpgradeForwarderDeps {
  logger: Logger;
  timers: ProxyTimers;
  now: () => number;
}

function rawErrorResponse(err: MeshplugError): string {
  const body = JSON.stringify(err.toJSON());
  return (
    `HTTP/1.1 ${err.statusCode} ${STATUS_CODES[err.statusCode] ?? ''}\r\n` +
    `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
    `${PROXY_ERROR_HEADER}: ${err.code}\r\nconnection: close\r\n\r\n${body}`
  );
}

/**
 * `Connection: Upgrade` requests (WebSocket, h2c...): the request head is
 * re-sent to one endpoint and the two sockets are then piped raw, so whatever
 * protocol follows the 101 passes through untouched.
 */
export class UpgradeForwarder {
  constructor(
    private readonly cluster: UpstreamCluster,
    private readonly deps: UpgradeForwarderDeps,
  ) {}

  handle(req: IncomingMessage, client: Duplex, head: Buffer): void {
    const cluster = this.cluster;
    const fail = (err: MeshplugError): void => {
      cluster.stats.request(String(err.statusCode));
      client.end(rawErrorResponse(err));
    };
    const e = cluster.pick();
    if (e === undefined) return fail(new MeshProxyErrors.MESH_ERR_NO_ENDPOINTS(cluster.name));
    if (!cluster.breaker.tryAcquireRequest()) {
      cluster.stats.overflows += 1;
      return fail(new MeshProxyErrors.MESH_ERR_OVERFLOW(`${cluster.name}: MaxRequests`));
    }
    const started = this.deps.now();
    cluster.onStart(e);
    let clientGone = false;
    const onEarlyClose = (): void => {
      clientGone = true;
    };
    client.once('close', onEarlyClose);
    client.on('error', () => client.destroy());
    connectUpstream(e, cluster.policy.connectionTimeoutMs, this.deps.timers, (err, upstream) => {
      client.off('close', onEarlyClose);
      if (err || !upstream) {
        cluster.onEnd(e, this.deps.now() - started, 'failure');
        cluster.breaker.releaseRequest();
        if (!clientGone) fail(new MeshProxyErrors.MESH_ERR_CONNECT_FAILURE(e.id));
        return;
      }
      if (clientGone) {
        upstream.destroy();
        cluster.onEnd(e, this.deps.now() - started, 'cancelled');
        cluster.breaker.releaseRequest();
        return;
      }
      cluster.stats.latency((this.deps.now() - started) / 1000);
      cluster.stats.request('upgrade');
      const headers = upstreamRequestHeaders(req.rawHeaders, req.headers, { remoteAddress: req.socket.remoteAddress, proto: 'http' }, true);
      let text = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1\r\n`;
      for (let i = 0; i + 1 < headers.length; i += 2) text += `${headers[i]}: ${headers[i + 1]}\r\n`;
      upstream.write(`${text}\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
      let open = 2;
      const onClose = (other: Duplex) => (): void => {
        closeAfterFlush(other);
        open -= 1;
        if (open === 0) {
          cluster.onEnd(e, this.deps.now() - started, 'ok');
          cluster.breaker.releaseRequest();
        }
      };
      upstream.on('error', () => upstream.destroy());
      upstream.once('close', onClose(client));
      client.once('close', onClose(upstream));
    });
  }
}
