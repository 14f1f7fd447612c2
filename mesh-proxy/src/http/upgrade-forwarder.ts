import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger, MeshplugError } from '@meshplug/plugin-api';
import { MeshProxyErrors } from '../errors.js';
import { closeAfterFlush, connectUpstream } from '../tcp/connect-upstream.js';
import type { ProxyTimers } from '../options/proxy-options.js';
import type { UpstreamCluster } from '../upstream/upstream-cluster.js';
import type { UpstreamEndpoint } from '../upstream/upstream-endpoint.js';
import { downstreamRawResponseHeaders, upstreamRequestHeaders } from './forwarded-headers.js';
import { rawProxyErrorResponse } from './proxy-error-response.js';
import { requestTarget, unforwardableReason } from './request-target.js';
import { routeMatches } from './route-match.js';

export interface UpgradeForwarderDeps {
  logger: Logger;
  timers: ProxyTimers;
  now: () => number;
}

function responseHead(res: IncomingMessage, headers: readonly string[]): string {
  let text = `HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}\r\n`;
  for (let i = 0; i + 1 < headers.length; i += 2) text += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return `${text}\r\n`;
}

/**
 * `Connection: Upgrade` requests (WebSocket, h2c...). The request passes the
 * same checks as any other (framing, one Host, Domains/Prefix/Headers) and
 * goes to one endpoint through node's HTTP client, which parses the answer.
 * Only a `101` turns the two sockets into a raw tunnel; any other answer is
 * relayed and the connection closed, so bytes sent after a refused upgrade
 * can never reach the endpoint as requests the proxy did not check.
 */
export class UpgradeForwarder {
  constructor(
    private readonly cluster: UpstreamCluster,
    private readonly deps: UpgradeForwarderDeps,
  ) {}

  handle(req: IncomingMessage, client: Duplex, head: Buffer): void {
    const cluster = this.cluster;
    client.on('error', () => client.destroy());
    // Nothing the client sends goes anywhere until the endpoint has agreed to switch protocols.
    client.pause();
    const fail = (err: MeshplugError): void => {
      cluster.stats.request(String(err.statusCode));
      if (!client.destroyed) client.end(rawProxyErrorResponse(err));
    };
    const refused = unforwardableReason(req);
    if (refused !== undefined) return fail(new MeshProxyErrors.MESH_ERR_BAD_REQUEST(refused));
    const target = requestTarget(req);
    const headers = upstreamRequestHeaders(
      req.rawHeaders,
      req.headers,
      { remoteAddress: req.socket.remoteAddress, proto: 'http', ...(target.rewriteHost ? { host: target.host } : {}) },
      true,
    );
    if (headers === null) return fail(new MeshProxyErrors.MESH_ERR_BAD_REQUEST('more than one Host'));
    if (!(cluster.routesAll && target.path.charCodeAt(0) === 47) && !routeMatches(cluster.policy, target.host, target.path, req.headers)) {
      return fail(new MeshProxyErrors.MESH_ERR_NO_ROUTE(`${target.host ?? ''}${target.path}`));
    }
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
    let ended = false;
    const end = (result: 'ok' | 'failure' | 'cancelled'): void => {
      if (ended) return;
      ended = true;
      client.off('close', onEarlyClose);
      cluster.onEnd(e, this.deps.now() - started, result);
      cluster.breaker.releaseRequest();
    };
    connectUpstream(e, cluster.policy.connectionTimeoutMs, this.deps.timers, (err, upstream) => {
      if (err || !upstream) {
        end('failure');
        if (!clientGone) fail(new MeshProxyErrors.MESH_ERR_CONNECT_FAILURE(e.id));
        return;
      }
      if (clientGone) {
        upstream.destroy();
        end('cancelled');
        return;
      }
      const up = httpRequest({ method: req.method ?? 'GET', path: target.path, headers, setHost: false, createConnection: () => upstream });
      up.on('upgrade', (res: IncomingMessage, socket: Socket, upHead: Buffer) => {
        cluster.stats.latency((this.deps.now() - started) / 1000);
        cluster.stats.request('upgrade');
        this.tunnel(client, socket, head, upHead, responseHead(res, res.rawHeaders), e, started);
        ended = true;
        client.off('close', onEarlyClose);
      });
      up.on('response', (res: IncomingMessage) => {
        // Not switching: relay the answer, then close; the body is delimited by the close.
        cluster.stats.latency((this.deps.now() - started) / 1000);
        cluster.stats.request(String(res.statusCode));
        const relayed = downstreamRawResponseHeaders(res.rawHeaders);
        relayed.push('connection', 'close');
        client.write(responseHead(res, relayed));
        res.pipe(client);
        res.once('end', () => {
          upstream.destroy();
          end((res.statusCode ?? 502) >= 500 ? 'failure' : 'ok');
        });
        client.once('close', () => {
          upstream.destroy();
          end('cancelled');
        });
        res.once('error', () => client.destroy());
      });
      up.on('error', () => {
        end(clientGone ? 'cancelled' : 'failure');
        if (!clientGone) fail(new MeshProxyErrors.MESH_ERR_UPSTREAM_RESET(e.id));
      });
      up.end();
    });
  }

  /** After a 101: the raw head goes to the client and bytes flow both ways until either side closes. */
  private tunnel(client: Duplex, upstream: Socket, head: Buffer, upHead: Buffer, response: string, e: UpstreamEndpoint, started: number): void {
    const cluster = this.cluster;
    client.write(response);
    if (upHead.length > 0) client.write(upHead);
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
  }
}
