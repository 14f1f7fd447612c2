import t from 'tap';
import { DnsShim } from '../src/dns-shim.js';
import { runFuzz, fuzzPacket, seededRandom } from '../../test/fuzz/packet-fuzzer.js';
import { parseQuery } from '../src/wire/parse-query.js';
import { inspectResponse } from '../src/wire/inspect-response.js';
import { FakeUpstream } from './helpers/fake-upstream.js';
import { decodeReply, query, tcpExchange, udpExchange } from './helpers/dns-client.js';
import { sampleTable } from './helpers/tables.js';

const SEED = 20_240_601;

t.test('the parsers never throw on 50,000 generated packets', async (t) => {
  const rand = seededRandom(SEED);
  let queries = 0;
  for (let i = 0; i < 50_000; i++) {
    const packet = fuzzPacket(rand);
    if (parseQuery(packet).kind === 'query') queries++;
    inspectResponse(packet);
  }
  t.ok(queries > 0 && queries < 50_000, `${queries} parsed as queries`);
});

t.test('12,000 random and mutated packets over UDP and TCP, then it still answers', async (t) => {
  const up = await new FakeUpstream().start();
  const shim = new DnsShim({ listen: '127.0.0.1:0', upstreams: [up.address], upstreamTimeoutMs: 500, upstreamAttemptTimeoutMs: 250 });
  const { port } = await shim.start();
  shim.setTable(sampleTable(), 'v1');
  t.teardown(async () => {
    await shim.stop();
    await up.stop();
  });

  const run = await runFuzz({ host: '127.0.0.1', port, count: 12_000, seed: SEED, timeLimitMs: 120_000 });
  t.equal(run.sent, 12_000);
  t.ok(run.tcp >= 2000, `${run.tcp} over TCP`);
  t.ok(run.replies > 0, `${run.replies} replies`);

  t.same(decodeReply(await udpExchange(port, query('tomcat'))).answers?.map((a) => a.data), ['127.1.0.10']);
  const [overTcp] = await tcpExchange(port, [query('tomcat.shop.svc.cluster.local', 'A')]);
  t.same(decodeReply(overTcp!).answers?.map((a) => a.data), ['127.1.0.10']);
  t.same(decodeReply(await udpExchange(port, query('after-fuzz.example.test'))).answers?.map((a) => a.data), ['198.18.0.1']);

  const outcomes = new Map<string, number>();
  for (const v of (await shim.metrics.queries.get()).values) {
    outcomes.set(String(v.labels.outcome), (outcomes.get(String(v.labels.outcome)) ?? 0) + v.value);
  }
  for (const outcome of ['formerr', 'dropped', 'mesh', 'notimp']) t.ok((outcomes.get(outcome) ?? 0) > 0, `some ${outcome}`);
});
