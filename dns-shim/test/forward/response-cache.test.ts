import t from 'tap';
import * as dnsPacket from 'dns-packet';
import { ManualClock } from '../../src/clock.js';
import { ResponseCache } from '../../src/forward/response-cache.js';
import { inspectResponse } from '../../src/wire/inspect-response.js';
import { parseQuery, type ParsedQuery } from '../../src/wire/parse-query.js';
import { hashWireName } from '../../src/wire/name-hash.js';
import { query } from '../helpers/dns-client.js';

function parsed(raw: Buffer): ParsedQuery {
  const r = parseQuery(raw);
  if (r.kind !== 'query') throw new Error(r.kind);
  return r;
}

/** The parsed A question for a short test key: `k` asks `k.example.test`. */
const q = (key: string, type: dnsPacket.RecordType = 'A', opts: Parameters<typeof query>[2] = {}): ParsedQuery =>
  parsed(query(`${key}.example.test`, type, opts));

function positive(ttl: number): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: 1,
    questions: [{ name: 'a.example.test', type: 'A' }],
    answers: [
      { type: 'A', name: 'a.example.test', ttl, data: '198.18.0.1' },
      { type: 'A', name: 'a.example.test', ttl: ttl * 2, data: '198.18.0.2' },
    ],
  });
}

function nxdomain(soaTtl: number, minimum: number): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: 1,
    flags: 3,
    questions: [{ name: 'nx.example.test', type: 'A' }],
    authorities: [{ type: 'SOA', name: 'example.test', ttl: soaTtl, data: { mname: 'ns', rname: 'h', minimum } }],
  });
}

function setup(overrides: Partial<{ maxEntries: number; maxTtlSeconds: number; maxNegativeTtlSeconds: number }> = {}) {
  const clock = new ManualClock(1_000_000);
  const cache = new ResponseCache({ maxEntries: 100, maxTtlSeconds: 3600, maxNegativeTtlSeconds: 300, clock, ...overrides });
  const put = (key: string, buf: Buffer): void => cache.set(q(key), buf, inspectResponse(buf)!);
  return { clock, cache, put };
}

const ttls = (buf: Buffer): number[] => (dnsPacket.decode(buf).answers ?? []).map((a) => (a as dnsPacket.StringAnswer).ttl ?? -1);

t.test('a positive reply lives for its smallest TTL, its TTLs counting down', async (t) => {
  const { clock, cache, put } = setup();
  put('k', positive(10));
  t.same(ttls(cache.get(q('k'))!.reply), [10, 20]);
  clock.advance(4_500);
  t.same(ttls(cache.get(q('k'))!.reply), [6, 16]);
  clock.advance(5_499);
  t.ok(cache.get(q('k')), 'still there just before expiry');
  clock.advance(1);
  t.equal(cache.get(q('k')), undefined, 'gone at expiry');
  t.equal(cache.size, 0);
});

t.test('negative caching: NXDOMAIN kept for min(SOA TTL, MINIMUM)', async (t) => {
  const { clock, cache, put } = setup();
  put('nx', nxdomain(60, 30));
  t.equal(cache.get(q('nx'))?.negative, true);
  clock.advance(29_999);
  t.ok(cache.get(q('nx')));
  clock.advance(1);
  t.equal(cache.get(q('nx')), undefined);
});

t.test('caps: positive and negative TTLs are bounded; TTL 0 is not cached', async (t) => {
  const { clock, cache, put } = setup({ maxTtlSeconds: 5, maxNegativeTtlSeconds: 2 });
  put('p', positive(100));
  put('n', nxdomain(60, 60));
  put('z', positive(0));
  t.same(ttls(cache.get(q('p'))!.reply), [5, 5]);
  t.equal(cache.get(q('z')), undefined);
  clock.advance(2_000);
  t.equal(cache.get(q('n')), undefined);
  t.ok(cache.get(q('p')));
  clock.advance(3_000);
  t.equal(cache.get(q('p')), undefined);
});

t.test('least recently used entries go first; a hit returns a copy', async (t) => {
  const { cache, put } = setup({ maxEntries: 2 });
  put('a', positive(10));
  put('b', positive(10));
  cache.get(q('a'))!.reply.fill(0);
  put('c', positive(10));
  t.ok(cache.get(q('a')), 'a was used, so b went');
  t.equal(cache.get(q('b')), undefined);
  t.same(ttls(cache.get(q('a'))!.reply), [10, 20], 'mutating a returned copy does not touch the cache');
});

t.test('maxEntries 0 disables the cache', async (t) => {
  const { cache, put } = setup({ maxEntries: 0 });
  put('a', positive(10));
  t.equal(cache.size, 0);
});

t.test('eviction gives used entries a second chance: the unused ones go, oldest first', async (t) => {
  const { cache, put } = setup({ maxEntries: 4 });
  for (const k of ['a', 'b', 'c', 'd']) put(k, positive(10));
  t.ok(cache.get(q('a')));
  t.ok(cache.get(q('c')));
  put('e', positive(10));
  put('f', positive(10));
  t.same(['a', 'b', 'c', 'd', 'e', 'f'].filter((k) => cache.get(q(k)) !== undefined), ['a', 'c', 'e', 'f']);
  t.equal(cache.size, 4);
});

t.test('hits within one second share the TTLs written for it; the next second lowers them again', async (t) => {
  const { clock, cache, put } = setup();
  put('k', positive(10));
  t.same(ttls(cache.get(q('k'))!.reply), [10, 20]);
  clock.advance(999);
  t.same(ttls(cache.get(q('k'))!.reply), [10, 20]);
  clock.advance(1);
  t.same(ttls(cache.get(q('k'))!.reply), [9, 19]);
  clock.advance(2_000);
  t.same(ttls(cache.get(q('k'))!.reply), [7, 17]);
});

t.test('the cache keeps its own copy: changing the buffer handed to set changes nothing', async (t) => {
  const { cache, put } = setup();
  const buf = positive(10);
  put('k', buf);
  buf.fill(0);
  t.same(ttls(cache.get(q('k'))!.reply), [10, 20]);
});

t.test('the key is the question: letter case aside, name, type, class and EDNS/DNSSEC bits must all match', async (t) => {
  const { cache } = setup();
  const buf = positive(10);
  cache.set(q('k'), buf, inspectResponse(buf)!);
  t.ok(cache.get(parsed(query('K.Example.TEST'))), 'any letter case');
  t.equal(cache.get(q('k', 'AAAA')), undefined, 'another type');
  t.equal(cache.get(q('k', 'A', { edns: 1232 })), undefined, 'with EDNS0');
  t.equal(cache.get(q('kk')), undefined, 'a longer name');
  t.equal(cache.get(parsed(query('k.example.tesu'))), undefined, 'same length, another name');
  const edns = q('k', 'A', { edns: 1232, do: true });
  cache.set(edns, buf, inspectResponse(buf)!);
  t.ok(cache.get(q('k', 'A', { edns: 4096, do: true })), 'EDNS with DO, whatever the payload size');
  t.equal(cache.get(q('k', 'A', { edns: 1232 })), undefined, 'EDNS without DO');
  t.ok(cache.get(q('k')), 'the first entry is still there');
});

t.test('two questions on the same slot: the later replaces the earlier, neither gets the other\'s answer', async (t) => {
  // Names whose hashes collide land on the same slot (birthday bound: tens of thousands of tries).
  const seen = new Map<number, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; pair === undefined && i < 1_000_000; i++) {
    const name = `n${i}`;
    const wire = Buffer.from(`${String.fromCharCode(name.length)}${name}\x07example\x04test\x00`, 'latin1');
    const h = hashWireName(wire, 0, wire.length);
    const other = seen.get(h);
    if (other === undefined) seen.set(h, name);
    else pair = [other, name];
  }
  if (pair === undefined) throw new Error('no collision found');
  const { cache } = setup();
  const [first, second] = pair;
  const buf = positive(10);
  cache.set(q(first), buf, inspectResponse(buf)!);
  t.equal(cache.get(q(second)), undefined, 'the colliding question is not answered with the other one\'s reply');
  cache.set(q(second), buf, inspectResponse(buf)!);
  t.ok(cache.get(q(second)));
  t.equal(cache.get(q(first)), undefined, 'replaced');
  t.equal(cache.size, 1);
});
