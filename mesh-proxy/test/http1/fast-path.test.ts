import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import { endpoint, meshDoc, outbound } from '../helpers/mesh-doc.js';
import { startTcpUpstream, startUpstream } from '../helpers/net.js';
import { startHarness } from '../helpers/proxy-harness.js';

// Every listener of this file lives on 127.77.11.x so files can run in parallel.
const VIP = '127.77.11.1';
const RAW_VIP = '127.77.11.2';
const EMPTY_VIP = '127.77.11.3';
const PORT = 8080;

/** An HTTP upstream: echoes method, URL and a body digest; `/chunked` answers in two chunks; `/early` answers before reading the body. */
let upstreamConnections = 0;
const upstream = await startUpstream((req, res) => {
  if (req.url === '/early') {
    res.writeHead(413, { 'content-type': 'text/plain', 'content-length': '8' });
    res.end('too big\n');
    return;
  }
  const hash = createHash('sha256');
  let bytes = 0;
  req.on('data', (c: Buffer) => {
    hash.update(c);
    bytes += c.length;
  });
  req.on('end', () => {
    const text = `${req.method} ${req.url} ${bytes} ${hash.digest('hex').slice(0, 16)}`;
    if (req.url === '/chunked') {
      res.writeHead(200, { 'X-Upstream-Case': 'Kept' });
      res.write(`${text} part1 `);
      setTimeout(() => res.end('part2'), 5);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(text)), 'X-Upstream-Case': 'Kept' });
    res.end(req.method === 'HEAD' ? undefined : text);
  });
});
upstream.server.on('connection', () => (upstreamConnections += 1));

/** A raw upstream answering whatever the test scripts next, for responses node:http would never write. */
let script = '';
const raw = await startTcpUpstream((s: Socket) => {
  let seen = '';
  s.on('data', (c: Buffer) => {
    seen += c.toString('latin1');
    if (!seen.includes('\r\n\r\n')) return;
    seen = '';
    if (script.endsWith('<close>')) s.end(script.slice(0, -'<close>'.length));
    else s.write(script);
  });
  s.on('error', () => s.destroy());
});

const h = await startHarness(
  meshDoc('v1', {
    outbound: [
      outbound(VIP, PORT, [endpoint('127.0.0.1', upstream.port)]),
      outbound(RAW_VIP, PORT, [endpoint('127.0.0.1', raw.port)]),
      outbound(EMPTY_VIP, PORT, []),
    ],
  }),
);
t.teardown(async () => {
  await h.close();
  await upstream.close();
  await raw.close();
});

/** Writes `chunks` on one connection and resolves with everything read until the proxy closes it (bounded). */
function converse(chunks: (string | Buffer)[], vip = VIP): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(PORT, vip);
    let text = '';
    const timer = setTimeout(() => s.destroy(), 5000);
    s.on('data', (c: Buffer) => (text += c.toString('latin1')));
    s.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    s.on('error', () => s.destroy());
    for (const c of chunks) s.write(c);
  });
}

const bodies = (text: string): string[] => [...text.matchAll(/\r\n\r\n([A-Z]+ \/\S* \d+ [0-9a-f]+)/g)].map((m) => m[1]!);

t.test('pipelined requests are answered in order, and a request the fast path leaves to node:http takes the rest of the connection', async (t) => {
  const answer = await converse([
    'GET /one HTTP/1.1\r\nHost: dep\r\n\r\n' +
      'POST /two HTTP/1.1\r\nHost: dep\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' +
      'GET /three HTTP/1.1\r\nHost: dep\r\nConnection: close\r\n\r\n',
  ]);
  const sha = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);
  t.same(bodies(answer), [`GET /one 0 ${sha('')}`, `POST /two 3 ${sha('abc')}`, `GET /three 0 ${sha('')}`]);
  t.equal(answer.match(/HTTP\/1\.1 200 /g)?.length, 3);
});

t.test('responses are relayed byte for byte on reused upstream connections: chunked, HEAD, and hop-by-hop fields dropped', async (t) => {
  const before = upstreamConnections;
  const answer = await converse([
    'GET /chunked HTTP/1.1\r\nHost: dep\r\n\r\n',
    'HEAD /head HTTP/1.1\r\nHost: dep\r\n\r\n',
    'GET /after HTTP/1.1\r\nHost: dep\r\nConnection: close\r\n\r\n',
  ]);
  t.match(answer, /^HTTP\/1\.1 200 OK\r\nX-Upstream-Case: Kept\r\n/, 'the upstream field, its case kept');
  t.match(answer, /Transfer-Encoding: chunked\r\n\r\n[0-9a-f]+\r\nGET \/chunked 0 [0-9a-f]+ part1 \r\n5\r\npart2\r\n0\r\n\r\nHTTP\/1\.1 200 OK/, 'the chunks as sent');
  t.match(answer, /content-length: \d+\r\nX-Upstream-Case: Kept\r\nDate: [^\r]+\r\n\r\nHTTP\/1\.1 200 OK/, 'HEAD: the length, no body');
  t.match(answer, /GET \/after 0 [0-9a-f]+$/);
  t.notMatch(answer, /keep-alive/i, 'the upstream Connection and Keep-Alive fields are not relayed');
  t.match(answer, /connection: close\r\n\r\nGET \/after/, 'the last answer says the connection closes, as asked');
  t.ok(upstreamConnections - before <= 1, `one upstream connection carried all three (${upstreamConnections - before} new)`);
});

t.test('a body over the retry buffer is streamed upstream whole', async (t) => {
  const body = Buffer.alloc(1024 * 1024, 'x');
  const answer = await converse([
    `PUT /big HTTP/1.1\r\nHost: dep\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    body.subarray(0, 1000),
    body.subarray(1000),
  ]);
  t.same(bodies(answer), [`PUT /big ${body.length} ${createHash('sha256').update(body).digest('hex').slice(0, 16)}`]);
});

t.test('an answer before the body is read closes the client connection after it', async (t) => {
  const answer = await converse([`POST /early HTTP/1.1\r\nHost: dep\r\nContent-Length: ${200_000}\r\n\r\n`, Buffer.alloc(1000)]);
  t.match(answer, /^HTTP\/1\.1 413 /);
  t.match(answer, /connection: close\r\n/i);
});

t.test('an answer without a length ends when the upstream closes, and so does the client connection', async (t) => {
  script = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end<close>';
  const answer = await converse(['GET /eof HTTP/1.1\r\nHost: dep\r\n\r\n'], RAW_VIP);
  t.match(answer, /^HTTP\/1\.1 200 OK\r\nContent-Type: text\/plain\r\nconnection: close\r\n\r\nuntil the end$/);
});

t.test('an answer that could be read two ways is never relayed: 502, and the client connection goes on', async (t) => {
  script = 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n';
  const answer = await converse(['GET /bad HTTP/1.1\r\nHost: dep\r\n\r\n', 'GET /bad HTTP/1.1\r\nHost: dep\r\nConnection: close\r\n\r\n'], RAW_VIP);
  t.equal(answer.match(/HTTP\/1\.1 502 /g)?.length, 2, 'both requests answered on one connection');
  t.match(answer, /x-meshplug-error: MESH_ERR_UPSTREAM_RESET\r\n/);
  t.match(answer, /both Content-Length and Transfer-Encoding/);
});

t.test('an interim 103 is not relayed; the final answer is', async (t) => {
  script = 'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\nX-A: b\r\n\r\n';
  const answer = await converse(['GET /hints HTTP/1.1\r\nHost: dep\r\nConnection: close\r\n\r\n'], RAW_VIP);
  t.match(answer, /^HTTP\/1\.1 204 No Content\r\nX-A: b\r\nconnection: close\r\n\r\n$/);
});

t.test('thousands of pipelined requests answered at once (no endpoints) are all answered, in order', async (t) => {
  const n = 3000;
  const requests = Array.from({ length: n }, (_, i) => `GET /${i} HTTP/1.1\r\nHost: dep\r\n${i === n - 1 ? 'Connection: close\r\n' : ''}\r\n`).join('');
  const answer = await converse([requests], EMPTY_VIP);
  t.equal(answer.match(/HTTP\/1\.1 503 /g)?.length, n);
  t.equal(answer.match(/MESH_ERR_NO_ENDPOINTS/g)?.length, 2 * n, 'each in its header and body');
});
