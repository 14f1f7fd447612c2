import { createServer, connect } from 'node:net';
import { request } from 'undici';
import { waitUntil } from './timing.js';

/** A TCP port free on `host` right now (bind 0, read it, close): for processes that need a fixed port. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once a TCP connection to `host:port` succeeds. */
export function waitForTcp(host: string, port: number, timeoutMs: number): Promise<void> {
  return waitUntil(
    `tcp ${host}:${port}`,
    () =>
      new Promise<boolean>((resolve) => {
        const socket = connect({ host, port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
    timeoutMs,
  );
}

/** Resolves once `url` answers with `status` (default 200). */
export function waitForHttp(url: string, timeoutMs: number, status = 200): Promise<void> {
  return waitUntil(
    `${url} -> ${status}`,
    async () => {
      const res = await request(url, { headersTimeout: 2000, bodyTimeout: 2000 });
      await res.body.dump();
      return res.statusCode === status;
    },
    timeoutMs,
  );
}
