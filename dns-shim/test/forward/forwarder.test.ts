import t, { type Test } from 'tap';
import * as dnsPacket from 'dns-packet';
import { silentLogger } from '@meshplug/plugin-api';
import { ManualClock } from '../../src/clock.js';
import { Forwarder, type ForwarderOptions } from '../../src/forward/forwarder.js';
import { ResponseCache } from '../../src/forward/response-cache.js';
import { TcpTransport } from '../../src/forward/tcp-transport.js';
import { UdpTransport } from '../../src/forward/udp-transport.js';
import { DnsMetrics } from '../../src/metrics/dns-metrics.js';
import { parseQuery, type ParsedQuery } from '../../src/wire/parse-query.js';
import { FakeUpstream } from '../helpers/fake-upstream.js';
import { decodeReply, query } from '../helpers/dns-client.js';

function parsed(raw: Buffer): ParsedQuery {
  const r = parseQuery(raw);
  if (r.kind !== 'query') throw new Error(r.kind);
  return r;
}

function setup(t: Test, upstreams: FakeUpstream[], overrides: Partial<ForwarderOptions> = {}) {
  const clock = new ManualClock();
  const cache = new ResponseCache({ maxEntries: 100, maxTtlSeconds: 3600, maxNegativeTtlSeconds: 300, clock });
  const metrics = new DnsMetrics(() => cache.size);
  const udp = new UdpTransport();
  const tcp = new TcpTransport();
  const forwarder = new Forwarder({ udp, tcp, cache, metrics, logger: silentLogger(), timeoutMs: 2000, attemptTimeoutMs: 500, rounds: 2, ...overrides });
  forwarder.setUpstreams(upstreams.map((u) => ({ host: '127.0.0.1', port: u.port })));
  t.teardown(async () => {
    await udp.close();
    await tcp.close();
  });
  const ask = async (raw: Buffer) => forwarder.forward(raw, parsed(raw));
  return { clock, cache, metrics, forwarder, ask };
}

t.test('identical questions in flight share one upstream exchange; each client gets its own ID and case', async (t) => {
  const up = await new FakeUpstream({ delayMs: 100 }).start();
  t.teardown(() => up.stop());
  const { ask, metrics, forwarder } = setup(t, [up]);
  const names = Array.from({ length: 20 }, (_, i) => (i % 2 ? 'SLOW.example.test' : 'slow.example.test'));
  const pending = names.map((n, i) => ask(query(n, 'A', { id: 1000 + i })));
  t.equal(forwarder.inflightCount, 1);
  const results = await Promise.all(pending);
  t.equal(up.count('slow.example.test'), 1, 'one upstream query for 20 clients');
  results.forEach((r, i) => {
    const d = decodeReply(r.reply);
    t.equal(d.id, 1000 + i);
    t.equal(d.questions?.[0]?.name, names[i]);
  });
  t.equal((await metrics.dedupedQueries.get()).values[0]?.value, 19);
  t.equal(forwarder.inflightCount, 0);
});

t.test('a cached answer is served without asking again, until its TTL passes', async (t) => {
  const up = await new FakeUpstream().start();
  t.teardown(() => up.stop());
  const { ask, clock, metrics } = setup(t, [up]);
  t.equal((await ask(query('a.example.test'))).source, 'upstream');
  const second = await ask(query('a.example.test'));
  t.equal(second.source, 'cache');
  t.equal(up.count('a.example.test'), 1);
  clock.advance(60_000);
  t.equal((await ask(query('a.example.test'))).source, 'upstream');
  t.equal(up.count('a.example.test'), 2);
  t.equal((await metrics.cacheHits.get()).values[0]?.value, 1);
  t.equal((await metrics.cacheMisses.get()).values[0]?.value, 2);
});

t.test('negative answers are cached for the SOA minimum', async (t) => {
  const up = await new FakeUpstream().start();
  t.teardown(() => up.stop());
  const { ask, clock } = setup(t, [up]);
  const first = await ask(query('nx.example.test'));
  t.equal(decodeReply(first.reply).rcode, 'NXDOMAIN');
  t.equal((await ask(query('nx.example.test'))).negative, true);
  t.equal(up.count('nx.example.test'), 1);
  clock.advance(30_000);
  await ask(query('nx.example.test'));
  t.equal(up.count('nx.example.test'), 2);
});

t.test('a truncated UDP answer is retried over TCP', async (t) => {
  const up = await new FakeUpstream().start();
  t.teardown(() => up.stop());
  const { ask } = setup(t, [up]);
  const r = await ask(query('big.example.test'));
  t.equal(decodeReply(r.reply).answers?.length, 60);
  t.equal(up.count('big.example.test', 'udp'), 1);
  t.equal(up.count('big.example.test', 'tcp'), 1);
});

t.test('EDNS0 passes through: the client OPT reaches the upstream, the upstream OPT comes back', async (t) => {
  const up = await new FakeUpstream().start();
  t.teardown(() => up.stop());
  const { ask } = setup(t, [up]);
  const r = await ask(query('a.example.test', 'A', { edns: 4096, do: true }));
  const seenOpt = up.seen[0]?.packet.additionals?.find((a) => a.type === 'OPT') as dnsPacket.OptAnswer | undefined;
  t.equal(seenOpt?.udpPayloadSize, 4096);
  t.equal(seenOpt?.flag_do, true);
  t.same(seenOpt?.options.map((o) => o.code), [10], 'the client cookie option was forwarded');
  const back = decodeReply(r.reply).additionals?.find((a) => a.type === 'OPT') as dnsPacket.OptAnswer | undefined;
  t.same(back?.options.map((o) => [o.code, o.data?.toString()]), [[3, 'fake']]);
  t.equal((await ask(query('a.example.test'))).source, 'upstream', 'a query without EDNS is a different cache entry');
});

t.test('a dead first upstream fails over to the next', async (t) => {
  const dead = await new FakeUpstream({ silent: true }).start();
  const live = await new FakeUpstream().start();
  t.teardown(async () => {
    await dead.stop();
    await live.stop();
  });
  const { ask } = setup(t, [dead, live], { attemptTimeoutMs: 100 });
  const r = await ask(query('a.example.test'));
  t.equal(decodeReply(r.reply).answers?.length, 1);
  t.equal(dead.count('a.example.test') + live.count('a.example.test'), dead.count('a.example.test') + 1);
});

t.test('no upstream answering: rejects within the bound; none configured: rejects at once', async (t) => {
  const dead = await new FakeUpstream({ silent: true }).start();
  t.teardown(() => dead.stop());
  const { ask } = setup(t, [dead], { timeoutMs: 300, attemptTimeoutMs: 100, rounds: 10 });
  await t.rejects(ask(query('a.example.test')), { code: 'DNS_ERR_UPSTREAM_TIMEOUT' });
  t.ok(dead.count('a.example.test') <= 3, 'attempts stop at the deadline');
  const none = setup(t, []);
  await t.rejects(none.ask(query('a.example.test')), { code: 'DNS_ERR_NO_UPSTREAM' });
});
