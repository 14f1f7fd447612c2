import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import { endpoint, meshDoc, outbound } from '../helpers/mesh-doc.js';
import { freePort, httpRequest, startUpstream, waitFor } from '../helpers/net.js';
import { startHarness } from '../helpers/proxy-harness.js';

// Every listener of this file lives on 127.77.1.x so files can run in parallel.
const VIP = '127.77.1.1';
const VIP_EMPTY = '127.77.1.2';
const VIP_DEAD = '127.77.1.3';
const VIP_SLOW = '127.77.1.4';
const VIP_ROUTED = '127.77.1.5';
const PORT = 8080;

/** Reads from a raw socket until `pattern` has arrived; returns everything read. */
function readUntil(socket: Socket, pattern: string | RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (c: Buffer): void => {
      text += c.toString('latin1');
      if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`closed before ${String(pattern)}; got ${JSON.stringify(text)}`)));
  });
}

const flood = { sent: 0, closed: false };
const seen: { url: string; headers: Record<string, string | string[] | undefined>; method: string; body: Buffer }[] = [];
const upstream = await startUpstream((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    seen.push({ url: req.url ?? '', headers: req.headers, method: req.method ?? '', body });
    if (req.url === '/hop') {
      res.writeHead(200, { connection: 'x-resp-hop', 'x-resp-hop': '1', 'proxy-foo': 'a', 'x-kept': 'yes', 'keep-alive': 'timeout=9' });
      res.end('ok');
    } else if (req.url === '/head') {
      res.writeHead(200, { 'content-length': '1234', 'x-head': 'yes' });
      res.end(req.method === 'HEAD' ? undefined : Buffer.alloc(1234, 1));
    } else if (req.url === '/flood') {
      // Writes up to 64 MiB as fast as the proxy takes it; `flood.sent` shows how far it got.
      res.writeHead(200);
      const block = Buffer.alloc(256 * 1024, 3);
      const pump = (): void => {
        while (flood.sent < 64 * 1024 * 1024) {
          flood.sent += block.length;
          if (!res.write(block)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (flood.closed = true));
      pump();
    } else if (req.url === '/big') {
      // 8 MiB back, chunked, in 64 KiB writes that respect backpressure.
      res.writeHead(200, { 'x-upload-sha256': createHash('sha256').update(body).digest('hex'), 'x-upload-bytes': String(body.length) });
      let sent = 0;
      const block = Buffer.alloc(64 * 1024, 7);
      const pump = (): void => {
        while (sent < 8 * 1024 * 1024) {
          sent += block.length;
          if (!res.write(block)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`echo:${body.toString()}`);
    }
  });
});
upstream.server.on('upgrade', (req, socket) => {
  seen.push({ url: req.url ?? '', headers: req.headers, method: req.method ?? '', body: Buffer.alloc(0) });
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  socket.pipe(socket);
});
const slow = await startUpstream(() => {
  // Never answers: the proxy's RequestTimeoutMS must.
});
const deadPort = await freePort();

const h = await startHarness(
  meshDoc('v1', {
    outbound: [
      outbound(VIP, PORT, [endpoint('127.0.0.1', upstream.port)]),
      outbound(VIP_EMPTY, PORT, []),
      outbound(VIP_DEAD, PORT, [endpoint('127.0.0.1', deadPort)], { options: { Retries: '0' } }),
      outbound(VIP_SLOW, PORT, [endpoint('127.0.0.1', slow.port)], { options: { RequestTimeoutMS: '150' } }),
      outbound(VIP_ROUTED, PORT, [endpoint('127.0.0.1', upstream.port)], { options: { Domains: 'tomcat,tomcat.shop', Prefix: '/api' } }),
    ],
  }),
);
t.teardown(async () => {
  await h.close();
  await upstream.close();
  await slow.close();
});

t.test('hop-by-hop headers are removed both ways; Host is kept; X-Forwarded-* are added', async (t) => {
  seen.length = 0;
  const reply = await httpRequest(`http://${VIP}:${PORT}/hop`, {
    headers: {
      host: 'tomcat.shop:8080',
      connection: 'close, x-custom-hop',
      'x-custom-hop': '1',
      'keep-alive': 'timeout=5',
      'proxy-authorization': 'Basic eA==',
      te: 'trailers',
      'x-forwarded-for': '10.0.0.1',
      'x-app': 'kept',
    },
  });
  t.equal(reply.status, 200);
  const got = seen[0]!.headers;
  t.equal(got.host, 'tomcat.shop:8080', 'Host preserved');
  t.equal(got['x-forwarded-for'], '10.0.0.1, 127.0.0.1', 'client appended to X-Forwarded-For');
  t.equal(got['x-forwarded-proto'], 'http');
  t.equal(got['x-app'], 'kept');
  for (const name of ['x-custom-hop', 'keep-alive', 'proxy-authorization', 'te']) t.equal(got[name], undefined, `${name} removed`);
  t.equal(reply.headers['x-kept'], 'yes');
  t.equal(reply.headers['x-resp-hop'], undefined, 'field named by the upstream Connection removed');
  t.equal(reply.headers['proxy-foo'], undefined, 'Proxy-* removed');
  t.not(reply.headers['keep-alive'], 'timeout=9', 'upstream Keep-Alive not passed on');
});

t.test('a chunked 8 MiB upload and an 8 MiB download stream through', async (t) => {
  seen.length = 0;
  const upload = createHash('sha256');
  const reply = await new Promise<{ status: number; headers: Record<string, unknown>; bytes: number; sha: string }>((resolve, reject) => {
    const req = request({ host: VIP, port: PORT, path: '/big', method: 'POST', agent: false }, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        hash.update(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, sha: hash.digest('hex') }));
    });
    req.on('error', reject);
    let i = 0;
    const write = (): void => {
      while (i < 128) {
        const block = Buffer.alloc(64 * 1024, i % 251);
        upload.update(block);
        i += 1;
        if (!req.write(block)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
  t.equal(reply.status, 200);
  t.equal(seen[0]!.headers['transfer-encoding'], 'chunked', 'upload stayed chunked');
  t.equal(reply.headers['x-upload-bytes'], String(8 * 1024 * 1024));
  t.equal(reply.headers['x-upload-sha256'], upload.digest('hex'), 'upload arrived intact');
  t.equal(reply.bytes, 8 * 1024 * 1024, 'download arrived whole');
  t.equal(reply.sha, createHash('sha256').update(Buffer.alloc(8 * 1024 * 1024, 7)).digest('hex'));
});

t.test('HEAD keeps Content-Length without a body, and the connection stays usable', async (t) => {
  const socket = connect(PORT, VIP);
  socket.write(`HEAD /head HTTP/1.1\r\nHost: x\r\n\r\nGET /plain HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi`);
  const text = await readUntil(socket, 'echo:hi');
  socket.destroy();
  const [head, rest] = text.split('\r\n\r\n');
  t.match(head, /^HTTP\/1\.1 200/);
  t.match(head, /content-length: 1234/i);
  t.match(head, /x-head: yes/i);
  t.match(rest, /^HTTP\/1\.1 200/, 'the next response follows the HEAD response directly');
});

t.test('Expect: 100-continue: 100 first, body after; refused before the body when it cannot be served', async (t) => {
  seen.length = 0;
  const socket = connect(PORT, VIP);
  socket.write(`POST /plain HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n`);
  t.match(await readUntil(socket, '\r\n\r\n'), /^HTTP\/1\.1 100 Continue/);
  socket.write('hello');
  t.match(await readUntil(socket, 'echo:hello'), /HTTP\/1\.1 200/);
  socket.destroy();
  t.equal(seen[0]!.headers.expect, undefined, 'Expect is answered by the proxy, not forwarded');

  const refused = connect(PORT, VIP_EMPTY);
  refused.write(`POST /plain HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n`);
  const answer = await readUntil(refused, /\}$/);
  refused.destroy();
  t.match(answer, /^HTTP\/1\.1 503/, 'no 100 Continue for a request that will fail');
  t.match(answer, /x-meshplug-error: MESH_ERR_NO_ENDPOINTS/i);
});

t.test('WebSocket upgrade: 101 passes through, then raw bytes both ways', async (t) => {
  seen.length = 0;
  const socket = connect(PORT, VIP);
  socket.write(
    'GET /ws HTTP/1.1\r\nHost: chat\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  t.match(await readUntil(socket, '\r\n\r\n'), /^HTTP\/1\.1 101 Switching Protocols/);
  socket.write('ping-123');
  t.equal(await readUntil(socket, 'ping-123'), 'ping-123', 'echoed through the raw tunnel');
  socket.destroy();
  const got = seen[0]!.headers;
  t.equal(got.upgrade, 'websocket');
  t.match(String(got.connection), /upgrade/i);
  t.equal(got['sec-websocket-key'], 'dGhlIHNhbXBsZSBub25jZQ==');
  t.equal(got['x-forwarded-for'], '127.0.0.1');
});

t.test('proxy-made errors: 503 no endpoints, 502 connect failure, 504 timeout', async (t) => {
  const cases = [
    { vip: VIP_EMPTY, status: 503, code: 'MESH_ERR_NO_ENDPOINTS' },
    { vip: VIP_DEAD, status: 502, code: 'MESH_ERR_CONNECT_FAILURE' },
    { vip: VIP_SLOW, status: 504, code: 'MESH_ERR_TIMEOUT' },
  ];
  for (const c of cases) {
    const reply = await httpRequest(`http://${c.vip}:${PORT}/`);
    t.equal(reply.status, c.status, `${c.vip} status`);
    t.equal(reply.headers['x-meshplug-error'], c.code);
    t.match(JSON.parse(reply.body.toString()), { code: c.code, message: String });
  }
});

t.test('Domains/Prefix restrict what a port serves; absolute-form targets are forwarded in origin form', async (t) => {
  const ok = await httpRequest(`http://${VIP_ROUTED}:${PORT}/api/x`, { headers: { host: 'tomcat.shop:8080' } });
  t.equal(ok.body.toString(), 'echo:');
  const wrongHost = await httpRequest(`http://${VIP_ROUTED}:${PORT}/api/x`, { headers: { host: 'redis' } });
  t.equal(wrongHost.status, 404);
  t.equal(wrongHost.headers['x-meshplug-error'], 'MESH_ERR_NO_ROUTE');
  t.equal((await httpRequest(`http://${VIP_ROUTED}:${PORT}/web`, { headers: { host: 'tomcat' } })).status, 404, 'wrong prefix');

  seen.length = 0;
  const socket = connect(PORT, VIP);
  socket.write(`GET http://tomcat.shop/plain?q=1 HTTP/1.1\r\nHost: tomcat.shop\r\n\r\n`);
  t.match(await readUntil(socket, 'echo:'), /^HTTP\/1\.1 200/);
  socket.destroy();
  t.equal(seen[0]!.url, '/plain?q=1', 'origin form upstream');
  t.equal(seen[0]!.headers.host, 'tomcat.shop');
});

t.test('backpressure: a client that does not read stalls the upstream instead of filling the proxy', async (t) => {
  const socket = connect(PORT, VIP);
  socket.write(`GET /flood HTTP/1.1\r\nHost: x\r\n\r\n`);
  socket.pause();
  // Wait until the upstream has stopped making progress (bounded), then look at how far it got.
  let last = -1;
  await waitFor(async () => {
    await new Promise((r) => setTimeout(r, 200));
    const stalled = flood.sent === last;
    last = flood.sent;
    return stalled;
  }, 20_000, 'the upstream to stall');
  t.ok(flood.sent < 64 * 1024 * 1024, `upstream stalled after ${flood.sent} bytes, not the whole 64 MiB`);
  socket.destroy();
  await waitFor(() => flood.closed, 5000, 'upstream response closed when the client went away');
  t.pass('the upstream request was cancelled with the client');
});
