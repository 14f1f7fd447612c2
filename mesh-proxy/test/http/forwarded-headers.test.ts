import t from 'tap';
import { downstreamResponseHeaders, upstreamRequestHeaders } from '../../src/http/forwarded-headers.js';

const pairs = (flat: string[]): [string, string][] => {
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

t.test('response: hop-by-hop removed, repeated fields kept', async (t) => {
  const out = downstreamResponseHeaders({
    connection: 'x-a',
    'x-a': '1',
    'keep-alive': 'timeout=5',
    'transfer-encoding': 'chunked',
    'proxy-authenticate': 'Basic',
    'set-cookie': ['a=1', 'b=2'],
    'content-length': '3',
    trailer: 'x-sum',
  });
  t.same(out, { 'set-cookie': ['a=1', 'b=2'], 'content-length': '3' });
});
