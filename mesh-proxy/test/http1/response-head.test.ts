import t from 'tap';
import { BadResponse, CHUNKED, UNTIL_CLOSE, parseResponseHead, type ResponseHead } from '../../src/http1/response-head.js';

function head(raw: string, headRequest = false): ResponseHead {
  const r = parseResponseHead(Buffer.from(raw, 'latin1'), headRequest);
  if (r === null || r instanceof BadResponse) throw new Error(`not relayable: ${JSON.stringify(raw)} ${r?.reason ?? 'incomplete'}`);
  return r;
}

t.test('framing: Content-Length, chunked, until close, and the bodiless answers', async (t) => {
  t.equal(head('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n').bodyLength, 5);
  t.equal(head('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n').bodyLength, 5, 'repeated equal lengths');
  t.equal(head('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n').bodyLength, CHUNKED);
  const close = head('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n');
  t.equal(close.bodyLength, UNTIL_CLOSE);
  t.equal(close.reusable, false);
  t.equal(head('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', true).bodyLength, 0, 'HEAD');
  t.equal(head('HTTP/1.1 204 No Content\r\n\r\n').bodyLength, 0);
  t.equal(head('HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n').bodyLength, 0);
  t.equal(head('HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n').status, 103);
});

t.test('keep-alive: reusable unless closed or HTTP/1.0 without keep-alive; the upstream timeout is read', async (t) => {
  t.equal(head('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').reusable, true);
  t.equal(head('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').reusable, false);
  t.equal(head('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').reusable, false);
  t.equal(head('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n').reusable, true);
  t.equal(head('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n').keepAliveMs, 5000);
});

t.test('the client head: HTTP/1.1 status line, hop-by-hop and Connection-named fields dropped, the rest byte for byte', async (t) => {
  const r = head(
    'HTTP/1.0 201 Made It\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nX-End: Kept As-Is\r\n' +
      'Proxy-Connection: x\r\nContent-Length: 2\r\nUpgrade: h2c\r\n\r\nhi',
  );
  t.equal(r.status, 201);
  t.equal(r.clientHead, 'HTTP/1.1 201 Made It\r\nX-End: Kept As-Is\r\nContent-Length: 2\r\n');
  t.equal(r.headLength, r.clientHead.length + 'Connection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nProxy-Connection: x\r\nUpgrade: h2c\r\n\r\n'.length, 'the body starts after the head');
  t.equal(head('HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n').clientHead, 'HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n', 'chunked framing passes through');
});

t.test('incomplete heads wait; ambiguous or malformed ones are refused with a reason', async (t) => {
  t.equal(parseResponseHead(Buffer.from('HTTP/1.1 200 OK\r\nContent-'), false), null);
  const bad: [string, string][] = [
    ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', 'both Content-Length and Transfer-Encoding'],
    ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 'differing Content-Lengths'],
    ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', 'bad Content-Length "-1"'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n', 'Transfer-Encoding "gzip"'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n', 'Transfer-Encoding "chunked"'],
    ['HTTP/2 200\r\n\r\n', 'malformed status line'],
    ['HTTP/1.1 20 OK\r\n\r\n', 'malformed status line'],
    ['HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\n\r\n', 'malformed header line'],
    ['HTTP/1.1 200 OK\r\nX-A: a\x00\r\n\r\n', 'malformed header "X-A"'],
    [`HTTP/1.1 200 OK\r\nX-A: ${'a'.repeat(17_000)}\r\n\r\n`, 'response head over 16 KiB'],
  ];
  for (const [raw, reason] of bad) {
    const r = parseResponseHead(Buffer.from(raw, 'latin1'), false);
    t.ok(r instanceof BadResponse, reason);
    t.equal((r as BadResponse).reason, reason);
  }
});
