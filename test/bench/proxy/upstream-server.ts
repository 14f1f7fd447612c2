/**
 * The one upstream every path of the proxy benchmark reaches (direct, HAProxy, mesh-proxy), in its own
 * process: HTTP/1.1 answering a 13-byte body once the request body is read, and a TCP echo server.
 * Prints `READY {"http":PORT,"tcp":PORT}` when both listen.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';

const BODY = Buffer.from('hello, world\n');
const HEADERS = { 'content-type': 'text/plain', 'content-length': String(BODY.length) };

const http = createHttpServer((req, res) => {
  req.resume();
  req.once('end', () => {
    res.writeHead(200, HEADERS);
    res.end(BODY);
  });
});
// Longer than any pause between runs, so pooled proxy connections stay usable.
http.keepAliveTimeout = 120_000;
http.headersTimeout = 121_000;

const tcp = createTcpServer((socket) => {
  socket.setNoDelay(true);
  socket.on('data', (chunk) => socket.write(chunk));
  socket.on('error', () => socket.destroy());
});

const listen = (server: { listen(port: number, host: string, cb: () => void): unknown; address(): unknown }): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

const ports = { http: await listen(http), tcp: await listen(tcp) };
process.stdout.write(`READY ${JSON.stringify(ports)}\n`);
process.on('SIGTERM', () => process.exit(0));
