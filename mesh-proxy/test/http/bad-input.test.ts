import { createServer as createNetServer, connect, type AddressInfo } from 'node:net';
import t from 'tap';
import { endpoint, meshDoc, outbound } from '../helpers/mesh-doc.js';
import { startUpstream } from '../helpers/net.js';
import { startHarness } from '../helpers/proxy-harness.js';

// Every listener of this file lives on 127.77.9.x so files can run in parallel.
const VIP = '127.77.9.1';
const VIP_ROUTED = '127.77.9.2';
const PORT = 8080;

/** Everything the upstream received, as raw bytes on its sockets, and the requests it parsed. */
const wire = { bytes: '', requests: [] as { method: string; url: string; host: string | undefined }[] };
const upstream = await startUpstream((req, res) => {
  req.resume();
  req.on('end', () => {
    wire.requests.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`ok ${req.url ?? ''}`);
  });
});
upstream.server.on('connection', (s) => s.on('data', (c: Buffer) => (wire.bytes += c.toString('latin1'))));

/** A server no request may ever reach: it only counts connections. */
let forbiddenConnections = 0;
const forbidden = createNetServer((s) => {
  forbiddenConnections += 1;
  s.destroy();
});
await new Promise<void>((r) => forbidden.listen(0, '127.0.0.1', r));
const forbiddenPort = (forbidden.address() as AddressInfo).port;

const h = await startHarness(
  meshDoc('v1', {
    outbound: [
      outbound(VIP, PORT, [endpoint('127.0.0.1', upstream.port)]),
      outbound(VIP_ROUTED, PORT, [endpoint('127.0.0.1', upstream.port)], { options: { Prefix: '/api' } }),
    ],
  }),
);
t.teardown(async () => {
  await h.close();
  await upstream.close();
  await new Promise<void>((r) => forbidden.close(() => r()));
});

/** Writes `raw` on a fresh connection and resolves with everything read until the proxy closes it (bounded). */
function exchangeRaw(raw: string, vip = VIP, afterMs = 0, more?: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(PORT, vip);
    let text = '';
    const timer = setTimeout(() => s.destroy(), 5000);
    s.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      if (more !== undefined && text.includes('\r\n\r\n')) {
        // A second request on the same connection, once the first answer has started.
        s.write(more);
        more = undefined;
      }
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    s.write(raw);
    if (afterMs > 0) setTimeout(() => s.end(), afterMs);
  });
}

/** A good request through the proxy; once its answer is back, anything sent before it has reached the upstream too. */
async function canary(name: string): Promise<void> {
  const text = await exchangeRaw(`GET /canary-${name} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  if (!text.startsWith('HTTP/1.1 200')) throw new Error(`canary ${name} answered ${JSON.stringify(text.slice(0, 80))}`);
}

const requestLines = (bytes: string): string[] => bytes.split('\r\n').filter((l) => / HTTP\/1\.[01]$/.test(l));

const SMUGGLING: [name: string, raw: string, status: number][] = [
  ['Content-Length and Transfer-Encoding', 'POST /bad HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['two different Content-Lengths', 'POST /bad HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde', 400],
  ['two equal Content-Lengths', 'POST /bad HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd', 400],
  ['a Content-Length list', 'POST /bad HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 4\r\n\r\nabcd', 400],
  ['a signed Content-Length', 'POST /bad HTTP/1.1\r\nHost: x\r\nContent-Length: +4\r\n\r\nabcd', 400],
  ['a negative Content-Length', 'POST /bad HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', 400],
  ['a hex Content-Length', 'POST /bad HTTP/1.1\r\nHost: x\r\nContent-Length: 0x4\r\n\r\nabcd', 400],
  ['a chunk size that is not hex', 'POST /bad HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabcd\r\n0\r\n\r\n', 400],
  ['a chunk size that overflows', 'POST /bad HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF1\r\nabcd\r\n0\r\n\r\n', 400],
  ['a chunk without its CRLF', 'POST /bad HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcdX0\r\n\r\n', 400],
  ['a chunk size ended by a bare LF', 'POST /bad HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\nabcd\r\n0\r\n\r\n', 400],
  ['obs-fold', 'GET /bad HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n', 400],
  ['bare LF line ends', 'GET /bad HTTP/1.1\nHost: x\nX-A: a\n\n', 400],
  ['a bare CR in a value', 'GET /bad HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n', 400],
  ['a control character in a value', 'GET /bad HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n', 400],
  ['a space before the colon', 'POST /bad HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n', 400],
  ['Transfer-Encoding gzip', 'POST /bad HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabcd', 400],
  ['Transfer-Encoding gzip, chunked', 'POST /bad HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n', 400],
  ['Transfer-Encoding chunked, gzip', 'POST /bad HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n4\r\nabcd\r\n0\r\n\r\n', 400],
  ['Transfer-Encoding xchunked', 'POST /bad HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n', 400],
  ['two Transfer-Encodings', 'POST /bad HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n4\r\nabcd\r\n0\r\n\r\n', 400],
  ['Transfer-Encoding in HTTP/1.0', 'POST /bad HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n', 400],
  ['two Hosts', 'GET /bad HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400],
  ['no Host in HTTP/1.1', 'GET /bad HTTP/1.1\r\n\r\n', 400],
  ['a space in the target', 'GET /bad x HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['the HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400],
  ['an oversized header (431)', `GET /bad HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
  ['too many headers (431)', `GET /bad HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-${i}: 1\r\n`).join('')}\r\n`, 431],
];

t.test('request smuggling forms are refused and never forwarded', async (t) => {
  for (const [name, raw, status] of SMUGGLING) {
    wire.bytes = '';
    const answer = await exchangeRaw(raw, VIP, 1000);
    t.match(answer, new RegExp(`^HTTP/1\\.1 ${status} `), `${name}: ${status}`);
    t.notMatch(answer.slice(answer.indexOf('\r\n\r\n')), /HTTP\/1\.1 200/, `${name}: no second answer on that connection`);
    await canary(name.replace(/\W+/g, '-'));
    t.same(requestLines(wire.bytes), [`GET /canary-${name.replace(/\W+/g, '-')} HTTP/1.1`], `${name}: the upstream saw nothing but the canary`);
  }
});

t.test('an absolute-form target is asked of the configured endpoint, Host rewritten to its authority', async (t) => {
  wire.requests.length = 0;
  const evil = `127.0.0.1:${forbiddenPort}`;
  const answer = await exchangeRaw(`GET http://${evil}/latest?x=1 HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n`);
  t.match(answer, /^HTTP\/1\.1 200 /);
  t.same(wire.requests, [{ method: 'GET', url: '/latest?x=1', host: evil }], 'origin form, Host from the target (RFC 9112 3.2.2)');
  const byHost = await exchangeRaw(`GET /x HTTP/1.1\r\nHost: ${evil}\r\nConnection: close\r\n\r\n`);
  t.match(byHost, /^HTTP\/1\.1 200 /, 'a Host naming another server still goes to the cluster');
  t.equal(forbiddenConnections, 0, 'nothing connected to the server the client named');
});

t.test('CONNECT is refused with 405 and opens nothing', async (t) => {
  wire.bytes = '';
  const answer = await exchangeRaw(`CONNECT 127.0.0.1:${forbiddenPort} HTTP/1.1\r\nHost: 127.0.0.1:${forbiddenPort}\r\n\r\n`);
  t.match(answer, /^HTTP\/1\.1 405 /);
  t.match(answer, /x-meshplug-error: MESH_ERR_METHOD_NOT_ALLOWED/);
  await canary('connect');
  t.equal(forbiddenConnections, 0);
  t.same(requestLines(wire.bytes), ['GET /canary-connect HTTP/1.1']);
});

t.test('a refused upgrade is relayed and the connection closed: no raw tunnel past the proxy', async (t) => {
  wire.bytes = '';
  const upgrade = 'GET /api/x HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n';
  const answer = await exchangeRaw(upgrade, VIP, 0, 'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n');
  t.match(answer, /^HTTP\/1\.1 200 /, 'the endpoint did not switch; its answer is relayed');
  t.match(answer, /connection: close/i);
  t.notMatch(answer, /smuggled/, 'no answer to the request sent after it');
  await canary('upgrade');
  t.same(requestLines(wire.bytes), ['GET /api/x HTTP/1.1', 'GET /canary-upgrade HTTP/1.1'], 'the upstream never saw /smuggled');
});

t.test('upgrades obey Prefix like any request', async (t) => {
  wire.bytes = '';
  const answer = await exchangeRaw('GET /admin HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n', VIP_ROUTED);
  t.match(answer, /^HTTP\/1\.1 404 /);
  t.match(answer, /MESH_ERR_NO_ROUTE/);
  await canary('prefix');
  t.same(requestLines(wire.bytes), ['GET /canary-prefix HTTP/1.1']);
});
