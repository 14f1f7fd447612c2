import t from 'tap';
import { downstreamRawResponseHeaders, upstreamRequestHeaders } from '../../src/http/forwarded-headers.js';

const pairs = (flat: string[] | null): [string, string][] => {
  if (flat === null) throw new Error('the request was refused');
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
};

t.test('request: hop-by-hop and Connection-listed fields go, order and case of the rest stay', async (t) => {
  const raw = ['Host', 'svc:80', 'Connection', 'keep-alive, X-Trace-Hop', 'X-Trace-Hop', '1', 'Proxy-Connection', 'x', 'Accept', 'a', 'Accept', 'b', 'Expect', '100-continue'];
  const out = upstreamRequestHeaders(raw, { connection: 'keep-alive, X-Trace-Hop' }, { remoteAddress: '::ffff:10.1.2.3', proto: 'http' });
  t.same(pairs(out), [
    ['Host', 'svc:80'],
    ['Accept', 'a'],
    ['Accept', 'b'],
    ['X-Forwarded-For', '10.1.2.3'],
    ['X-Forwarded-Proto', 'http'],
  ]);
});

t.test('X-Forwarded-For: several fields are joined and the client appended; X-Forwarded-Proto of an earlier hop wins', async (t) => {
  const raw = ['X-Forwarded-For', '1.1.1.1', 'x-forwarded-for', '2.2.2.2', 'X-Forwarded-Proto', 'https'];
  const out = upstreamRequestHeaders(raw, {}, { remoteAddress: '127.0.0.1', proto: 'http' });
  t.same(pairs(out), [
    ['X-Forwarded-Proto', 'https'],
    ['X-Forwarded-For', '1.1.1.1, 2.2.2.2, 127.0.0.1'],
  ]);
});

t.test('an upgrade keeps Upgrade and Connection: Upgrade', async (t) => {
  const raw = ['Upgrade', 'websocket', 'Connection', 'Upgrade', 'Sec-WebSocket-Key', 'k'];
  const out = upstreamRequestHeaders(raw, { connection: 'Upgrade' }, { remoteAddress: undefined, proto: 'http' }, true);
  t.same(pairs(out), [
    ['Upgrade', 'websocket'],
    ['Sec-WebSocket-Key', 'k'],
    ['Connection', 'Upgrade'],
    ['X-Forwarded-Proto', 'http'],
  ]);
});

t.test('response: hop-by-hop and Connection-listed fields removed, repeats, case and bytes kept', async (t) => {
  const raw = (...pairs: string[]): Buffer[] => pairs.map((p) => Buffer.from(p, 'latin1'));
  const out = downstreamRawResponseHeaders(
    raw(
      'Connection', 'x-a',
      'X-A', '1',
      'Keep-Alive', 'timeout=5',
      'Transfer-Encoding', 'chunked',
      'Proxy-Authenticate', 'Basic',
      'Set-Cookie', 'a=1',
      'set-cookie', 'b=2',
      'Content-Length', '3',
      'Trailer', 'x-sum',
      'X-Latin1', 'caf\u00e9',
      'connection', 'X-B',
      'x-b', '2',
    ),
  );
  t.same(out, ['Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'Content-Length', '3', 'X-Latin1', 'caf\u00e9']);
  t.same(downstreamRawResponseHeaders(raw('Connection', 'keep-alive', 'X-Kept', 'y')), ['X-Kept', 'y'], 'the usual keep-alive token');
});

t.test('request: an absolute-form authority replaces Host; a second Host refuses the request', async (t) => {
  const from = { remoteAddress: '10.0.0.1', proto: 'http' as const, host: 'a.example:81' };
  t.same(upstreamRequestHeaders(['Host', 'b.example'], { host: 'b.example' }, from), ['Host', 'a.example:81', 'X-Forwarded-For', '10.0.0.1', 'X-Forwarded-Proto', 'http']);
  t.same(upstreamRequestHeaders([], {}, from), ['Host', 'a.example:81', 'X-Forwarded-For', '10.0.0.1', 'X-Forwarded-Proto', 'http'], 'added when absent');
  t.equal(upstreamRequestHeaders(['Host', 'a', 'host', 'b'], { host: 'a' }, { remoteAddress: undefined, proto: 'http' }), null);
});
