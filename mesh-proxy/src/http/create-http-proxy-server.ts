import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { MeshProxyErrors } from '../errors.js';
import { MeshHttpServer, type FastPathDeps } from '../http1/mesh-http-server.js';
import { closeAfterFlush } from '../tcp/connect-upstream.js';
import type { HttpForwarder } from './http-forwarder.js';
import { rawProxyErrorResponse } from './proxy-error-response.js';
import type { UpgradeForwarder } from './upgrade-forwarder.js';

/**
 * The server of one HTTP listener: the fast path first (MeshHttpServer), then node:http. `Expect: 100-continue` is routed
 * through the forwarder so a request that cannot be served is refused before
 * the client sends its body. While the listener drains, a keep-alive
 * connection is closed as soon as its last response has gone out. CONNECT is
 * refused: a mesh port forwards to its cluster, never to a target the client names.
 */
export function createHttpProxyServer(
  http: HttpForwarder,
  upgrade: UpgradeForwarder,
  isDraining: () => boolean,
  fastPath?: FastPathDeps,
): Server {
  const inFlight = new WeakMap<Socket, number>();
  const server = new MeshHttpServer(
    {
      // Uploads may stream for long; the cluster's RequestTimeoutMS is the request deadline.
      requestTimeout: 0,
      keepAliveTimeout: 30_000,
    },
    fastPath,
  );
  const track = (socket: Socket, res: NodeJS.EventEmitter): void => {
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      if (left === 0 && isDraining()) closeAfterFlush(socket);
    });
  };
  server.on('request', (req, res) => {
    track(req.socket, res);
    http.handle(req, res, false);
  });
  server.on('checkContinue', (req, res) => {
    track(req.socket, res);
    http.handle(req, res, true);
  });
  server.on('upgrade', (req, socket, head) => upgrade.handle(req, socket, head));
  server.on('connect', (req, socket) => {
    socket.on('error', () => socket.destroy());
    socket.end(rawProxyErrorResponse(new MeshProxyErrors.MESH_ERR_METHOD_NOT_ALLOWED(`CONNECT ${req.url ?? ''}`)));
  });
  return server;
}
