import t from 'tap';
import * as dnsPacket from 'dns-packet';
import { ManualClock } from '../../src/clock.js';
import { ResponseCache } from '../../src/forward/response-cache.js';
import { inspectResponse } from '../../src/wire/inspect-response.js';

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
  const put = (key: string, buf: Buffer): void => cache.set(key, buf, inspectResponse(buf)!);
  return { clock, cache, put };
}

const ttls = (buf: Buffer): number[] => (dnsPacket.decode(buf).answers ?? []).map((a) => (a as dnsPacket.StringAnswer).ttl ?? -1);

t.test('a positive reply lives for its smallest TTL, its TTLs counting down', async (t) => {
  const { clock, cache, put } = setup();
  put('k', positive(10));
  t.same(ttls(cache.get('k')!.reply), [10, 20]);
  clock.advance(4_500);
  t.same(ttls(cache.get('k')!.reply), [6, 16]);
  clock.advance(5_499);
  t.ok(cache.get('k'), 'still there just before expiry');
  clock.advance(1);
  t.equal(cache.get('k'), undefined, 'gone at expiry');
  t.equal(cache.size, 0);
});

t.test('negative caching: NXDOMAIN kept for min(SOA TTL, MINIMUM)', async (t) => {
  const { clock, cache, put } = setup();
  put('nx', nxdomain(60, 30));
  t.equal(cache.get('nx')?.negative, true);
  clock.advance(29_999);
  t.ok(cache.get('nx'));
  clock.advance(1);
  t.equal(cache.get('nx'), undefined);
});

t.test('caps: positive and negative TTLs are bounded; TTL 0 is not cached', async (t) => {
  const { clock, cache, put } = setup({ maxTtlSeconds: 5, maxNegativeTtlSeconds: 2 });
  put('p', positive(100));
  put('n', nxdomain(60, 60));
  put('z', positive(0));
  t.same(ttls(cache.get('p')!.reply), [5, 5]);
  t.equal(cache.get('z'), undefined);
  clock.advance(2_000);
  t.equal(cache.get('n'), undefined);
  t.ok(cache.get('p'));
  clock.advance(3_000);
  t.equal(cache.get('p'), undefined);
});

t.test('least recently used entries go first; a hit returns a copy', async (t) => {
  const { cache, put } = setup({ maxEntries: 2 });
  put('a', positive(10));
  put('b', positive(10));
  cache.get('a')!.reply.fill(0);
  put('c', positive(10));
  t.ok(cache.get('a'), 'a was used, so b went');
  t.equal(cache.get('b'), undefined);
  t.same(ttls(cache.get('a')!.reply), [10, 20], 'mutating a returned copy does not touch the cache');
});

t.test('maxEntries 0 disables the cache', async (t) => {
  const { cache, put } = setup({ maxEntries: 0 });
  put('a', positive(10));
  t.equal(cache.size, 0);
});

t.test('eviction gives used entries a second chance: the unused ones go, oldest first', async (t) => {
  const { cache, put } = setup({ maxEntries: 4 });
  for (const k of ['a', 'b', 'c', 'd']) put(k, positive(10));
  t.ok(cache.get('a'));
  t.ok(cache.get('c'));
  put('e', positive(10));
  put('f', positive(10));
  t.same(['a', 'b', 'c', 'd', 'e', 'f'].filter((k) => cache.get(k) !== undefined), ['a', 'c', 'e', 'f']);
  t.equal(cache.size, 4);
});

t.test('hits within one second share the TTLs written for it; the next second lowers them again', async (t) => {
  const { clock, cache, put } = setup();
  put('k', positive(10));
  t.same(ttls(cache.get('k')!.reply), [10, 20]);
  clock.advance(999);
  t.same(ttls(cache.get('k')!.reply), [10, 20]);
  clock.advance(1);
  t.same(ttls(cache.get('k')!.reply), [9, 19]);
  clock.advance(2_000);
  t.same(ttls(cache.get('k')!.reply), [7, 17]);
});

t.test('the cache keeps its own copy: changing the buffer handed to set changes nothing', async (t) => {
  const { cache, put } = setup();
  const buf = positive(10);
  put('k', buf);
  buf.fill(0);
  t.same(ttls(cache.get('k')!.reply), [10, 20]);
});
