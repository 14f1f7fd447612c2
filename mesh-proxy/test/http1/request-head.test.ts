import t from 'tap';
import { FALLBACK, parseRequestHead, type RequestHead } from '../../src/http1/request-head.js';

const parse = (raw: string, client: string | undefined): ReturnType<typeof parseRequestHead> =>
  parseRequestHead(Buffer.from(raw, 'latin1'), client);

function head(raw: string, client: string | undefined = '10.0.0.9'): RequestHead {
  const h = parse(raw, client);
  if (h === null || h === FALLBACK) throw new Error(`not a fast-path head: ${JSON.stringify(raw)}`);
  return h;
}

t.test('a plain GET keeps its line and fields in order and gains X-Forwarded-*', async (t) => {
  const raw = 'GET /a?b=1 HTTP/1.1\r\nHost: svc\r\nAccept: */*\r\nX-Case: MiXeD\r\n\r\n';
  const h = head(raw);
  t.equal(h.method, 'GET');
  t.equal(h.path, '/a?b=1');
  t.equal(h.headLength, raw.length);
  t.equal(h.contentLength, 0);
  t.equal(h.close, false);
  t.equal(h.upstreamHead, 'GET /a?b=1 HTTP/1.1\r\nHost: svc\r\nAccept: */*\r\nX-Case: MiXeD\r\nX-Forwarded-For: 10.0.0.9\r\nX-Forwarded-Proto: http\r\n\r\n');
});

t.test('hop-by-hop fields are dropped; X-Forwarded-For is joined, moved last and the client appended', async (t) => {
  const h = head(
    'POST /p HTTP/1.1\r\nX-Forwarded-For: 1.1.1.1\r\nHost: svc\r\nConnection: close\r\nKeep-Alive: timeout=5\r\n' +
      'Proxy-Authorization: secret\r\nContent-Length: 3\r\nx-forwarded-for: 2.2.2.2\r\nX-Forwarded-Proto: https\r\n\r\nabc',
  );
  t.equal(h.contentLength, 3);
  t.equal(h.close, true);
  t.equal(h.upstreamHead, 'POST /p HTTP/1.1\r\nHost: svc\r\nContent-Length: 3\r\nX-Forwarded-Proto: https\r\nX-Forwarded-For: 1.1.1.1, 2.2.2.2, 10.0.0.9\r\n\r\n');
  const noClient = parse('GET / HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive\r\n\r\n', undefined) as RequestHead;
  t.equal(noClient.upstreamHead, 'GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-Proto: http\r\n\r\n', 'no client address: no X-Forwarded-For');
});

t.test('an incomplete head waits for more bytes', async (t) => {
  t.equal(parse('GET / HTTP/1.1\r\nHost: a\r\n', 'c'), null);
  t.equal(parse('GET / HTT', 'c'), null);
});

const FALLBACKS: [string, string][] = [
  ['chunked body', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n'],
  ['100-continue', 'POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n'],
  ['WebSocket', 'GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'],
  ['Connection naming a field', 'GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-A\r\n\r\n'],
  ['TE', 'GET / HTTP/1.1\r\nHost: a\r\nTE: trailers\r\n\r\n'],
  ['absolute-form', 'GET http://b/ HTTP/1.1\r\nHost: a\r\n\r\n'],
  ['asterisk-form', 'OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n'],
  ['CONNECT', 'CONNECT b:443 HTTP/1.1\r\nHost: b:443\r\n\r\n'],
  ['an extension method', 'PURGE / HTTP/1.1\r\nHost: a\r\n\r\n'],
  ['lowercase method', 'get / HTTP/1.1\r\nHost: a\r\n\r\n'],
  ['HTTP/1.0', 'GET / HTTP/1.0\r\nHost: a\r\n\r\n'],
  ['no Host', 'GET / HTTP/1.1\r\nAccept: x\r\n\r\n'],
  ['two Hosts', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'],
  ['two Content-Lengths', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n'],
  ['a signed Content-Length', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n'],
  ['obs-fold', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: a\r\n b\r\n\r\n'],
  ['a space before the colon', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n'],
  ['a bare CR', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: a\rb\r\n\r\n'],
  ['a control character', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: a\x01b\r\n\r\n'],
  ['a bare LF in a complete head', 'GET / HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n'],
  ['bare LF line ends', 'GET / HTTP/1.1\nHost: a\n\n'],
  ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n'],
  ['a line without a colon', 'GET / HTTP/1.1\r\nHost: a\r\nnonsense\r\n\r\n'],
  ['a leading empty line', '\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n'],
  ['an oversized head', `GET / HTTP/1.1\r\nHost: a\r\nX-A: ${'a'.repeat(17_000)}\r\n\r\n`],
  ['an oversized incomplete head', `GET / HTTP/1.1\r\nHost: a\r\nX-A: ${'a'.repeat(17_000)}`],
];

t.test('anything but the plainest request is left to node:http', async (t) => {
  for (const [name, raw] of FALLBACKS) t.equal(parse(raw, 'c'), FALLBACK, name);
});
