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

t.test('hostile shapes by name: pointer loops, oversized labels, zero and 65,535 questions', async (t) => {
  const header = (flags: number, qd: number, an = 0): Buffer => {
    const b = Buffer.alloc(12);
    b.writeUInt16BE(7, 0);
    b.writeUInt16BE(flags, 2);
    b.writeUInt16BE(qd, 4);
    b.writeUInt16BE(an, 6);
    return b;
  };
  const question = Buffer.from([1, 97, 0, 0, 1, 0, 1]);
  const at = 12 + question.length;
  // Two answer names pointing at each other (a -> b -> a), and a question pointing at itself.
  const recordLoop = Buffer.from([0xc0, at + 2, 0xc0, at, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 1, 2, 3, 4]);
  const selfLoop = Buffer.from([0xc0, 12, 0, 1, 0, 1]);
  const longLabel = Buffer.concat([Buffer.from([64]), Buffer.alloc(64, 97), Buffer.from([0, 0, 1, 0, 1])]);
  const reserved = Buffer.concat([Buffer.from([0x80 | 5]), Buffer.alloc(5, 97), Buffer.from([0, 0, 1, 0, 1])]);
  const formerr = { kind: 'reject', id: 7, flags: 0, rcode: 1 };
  const queries: [string, Buffer, unknown][] = [
    ['question pointing at itself', Buffer.concat([header(0, 1), selfLoop]), formerr],
    ['label of 64 bytes', Buffer.concat([header(0, 1), longLabel]), formerr],
    ['label length with reserved bits', Buffer.concat([header(0, 1), reserved]), formerr],
    ['zero questions', header(0, 0), formerr],
    ['65,535 questions announced, one present', Buffer.concat([header(0, 0xffff), question]), formerr],
    ['60 questions present', Buffer.concat([header(0, 60), ...Array.from({ length: 60 }, () => question)]), formerr],
  ];
  for (const [what, packet, expected] of queries) t.same(parseQuery(packet), expected, `query: ${what}`);
  // A record pointer loop in a query is skipped, never followed: the question still parses.
  t.equal(parseQuery(Buffer.concat([header(0, 1, 1), question, recordLoop])).kind, 'query', 'query with an answer-pointer loop: parsed, loop not followed');
  // Record owner names are skipped, not followed, so a pointer loop there cannot hang the walk.
  t.doesNotThrow(() => inspectResponse(Buffer.concat([header(0x8180, 1, 1), question, recordLoop])), 'reply with an answer-pointer loop: walked, loop not followed');
  // The malformed questions as upstream replies: refused (undefined), never a hang or a throw.
  const replies: [string, Buffer][] = [
    ['question pointing at itself', Buffer.concat([header(0x8180, 1), selfLoop])],
    ['label of 64 bytes', Buffer.concat([header(0x8180, 1), longLabel])],
    ['zero questions', header(0x8180, 0)],
    ['65,535 questions announced', Buffer.concat([header(0x8180, 0xffff), question])],
  ];
  for (const [what, packet] of replies) t.equal(inspectResponse(packet), undefined, `reply: ${what}`);
});
