import t, { type Test } from 'tap';
import * as dnsPacket from 'dns-packet';
import { DnsShim } from '../src/dns-shim.js';
import type { DnsShimOptions } from '../src/config/dns-shim-options.js';
import { FakeUpstream } from './helpers/fake-upstream.js';
import { decodeReply, query, rcodeOf, tcpExchange, udpExchange } from './helpers/dns-client.js';
import { sampleTable } from './helpers/tables.js';

async function start(t: Test, options: DnsShimOptions = {}, upstream?: FakeUpstream) {
  const up = upstream ?? (await new FakeUpstream().start());
  const shim = new DnsShim({ listen: '127.0.0.1:0', upstreams: [up.address], ...options });
  const { port } = await shim.start();
  t.teardown(async () => {
    await shim.stop();
    await up.stop();
  });
  return { shim, up, port };
}

const decode = (b: Buffer) => decodeReply(b);

t.test('UDP and TCP on the same port: mesh names from the table, the rest forwarded', async (t) => {
  const { shim, port, up } = await start(t);
  shim.setTable(sampleTable(), 'v1');
  const viaUdp = decode(await udpExchange(port, query('tomcat')));
  t.same(viaUdp.answers?.map((a) => a.data), ['127.1.0.10']);
  const [a, fwd] = (await tcpExchange(port, [query('tomcat.shop.svc.cluster.local'), query('a.example.test')])).map(decode);
  t.same(a?.answers?.map((x) => x.data), ['127.1.0.10']);
  t.same(fwd?.answers?.map((x) => x.data), ['198.18.0.1']);
  t.equal(up.count('tomcat'), 0, 'mesh names never reach the upstream');
});

t.test('before any table everything is forwarded', async (t) => {
  const { port, up } = await start(t);
  t.equal(rcodeOf(await udpExchange(port, query('tomcat'))), 3);
  t.equal(up.count('tomcat'), 1);
});

t.test('an answer too large for the UDP client comes back truncated; TCP gets all of it', async (t) => {
  const { port, up } = await start(t);
  const small = decode(await udpExchange(port, query('big.example.test')));
  t.equal(small.flag_tc, true);
  t.equal(small.answers?.length, 0);
  const [full] = await tcpExchange(port, [query('big.example.test')]);
  t.equal(decode(full!).answers?.length, 60);
  t.equal(up.count('big.example.test', 'tcp'), 1, 'the TCP retry upstream happened once; the client retry hit the cache');
});

t.test('malformed input: FORMERR when the header is readable, silence when not, and it keeps answering', async (t) => {
  const { port, shim } = await start(t);
  shim.setTable(sampleTable(), 'v1');
  const garbage = Buffer.concat([Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]), Buffer.from([0xc0, 0x0c])]);
  const reply = await udpExchange(port, garbage);
  t.equal(reply.readUInt16BE(0), 0x1234);
  t.equal(rcodeOf(reply), 1);
  await t.rejects(udpExchange(port, Buffer.from([1, 2, 3]), 300), /no UDP reply/);
  const [formerr] = await tcpExchange(port, [garbage]);
  t.equal(rcodeOf(formerr!), 1);
  t.same(decode(await udpExchange(port, query('tomcat'))).answers?.map((a) => a.data), ['127.1.0.10']);
  const counts = await shim.metrics.queries.get();
  const formerrs = counts.values.filter((v) => v.labels.outcome === 'formerr');
  t.same(formerrs.map((v) => [v.labels.transport, v.value]).sort(), [['tcp', 1], ['udp', 1]]);
  t.ok(counts.values.some((v) => v.labels.outcome === 'dropped' && v.value === 1));
});

t.test('a dead upstream gives SERVFAIL within the bound', async (t) => {
  const dead = await new FakeUpstream({ silent: true }).start();
  const { port, shim } = await start(t, { upstreamTimeoutMs: 300, upstreamAttemptTimeoutMs: 100 }, dead);
  const reply = decode(await udpExchange(port, query('a.example.test'), 3000));
  t.equal(reply.rcode, 'SERVFAIL');
  const counts = await shim.metrics.queries.get();
  t.ok(counts.values.some((v) => v.labels.outcome === 'servfail' && v.labels.type === 'A'));
});

t.test('table updates: new names answer, an invalid table keeps the last one, the same version is a no-op', async (t) => {
  const { port, shim } = await start(t);
  shim.setTable(sampleTable(), 'v1');
  const v2 = sampleTable({ records: [{ names: ['mysql'], service: 'shop/mysql', address: '127.1.0.12', ports: [] }] });
  t.equal(shim.setTable(v2, 'v2'), true);
  t.same(decode(await udpExchange(port, query('mysql'))).answers?.map((a) => a.data), ['127.1.0.12']);
  t.throws(() => shim.setTable({ records: 'no' }, 'v3'), { code: 'DNS_ERR_INVALID_TABLE' });
  t.equal(shim.table?.version, 'v2');
  t.equal(shim.setTable(v2, 'v2'), false);
  t.same(decode(await udpExchange(port, query('mysql'))).answers?.map((a) => a.data), ['127.1.0.12']);
});

t.test("the table's upstream list wins over the option; an empty one falls back to it", async (t) => {
  const other = await new FakeUpstream().start();
  t.teardown(() => other.stop());
  const { port, shim, up } = await start(t);
  shim.setTable(sampleTable({ upstream: [other.address] }), 'v1');
  await udpExchange(port, query('a.example.test'));
  t.equal(other.count('a.example.test'), 1);
  t.equal(up.count('a.example.test'), 0);
  shim.setTable(sampleTable(), 'v2');
  await udpExchange(port, query('b.example.test'));
  t.equal(up.count('b.example.test'), 1);
});

t.test('a reply-shaped packet gets nothing back (no reflection loops) and harms nothing', async (t) => {
  const { port } = await start(t);
  const reply = dnsPacket.encode({ type: 'response', id: 9, questions: [{ name: 'a.example.test', type: 'A' }] });
  await t.rejects(udpExchange(port, reply, 300), /no UDP reply/);
  t.equal(rcodeOf(await udpExchange(port, query('a.example.test'))), 0);
});

t.test('metrics count queries by type and outcome, cache hits and upstream latency', async (t) => {
  const { port, shim } = await start(t);
  shim.setTable(sampleTable(), 'v1');
  await udpExchange(port, query('tomcat'));
  await udpExchange(port, query('tomcat', 'AAAA'));
  await udpExchange(port, query('x.tomcat.shop.svc.cluster.local'));
  await udpExchange(port, query('a.example.test'));
  await udpExchange(port, query('a.example.test'));
  const text = await shim.metrics.registry.metrics();
  t.match(text, /meshplug_dns_queries_total\{type="A",outcome="mesh",transport="udp"\} 1/);
  t.match(text, /meshplug_dns_queries_total\{type="AAAA",outcome="mesh_nodata",transport="udp"\} 1/);
  t.match(text, /meshplug_dns_queries_total\{type="A",outcome="mesh_nxdomain",transport="udp"\} 1/);
  t.match(text, /meshplug_dns_queries_total\{type="A",outcome="forwarded",transport="udp"\} 1/);
  t.match(text, /meshplug_dns_queries_total\{type="A",outcome="cached",transport="udp"\} 1/);
  t.match(text, /meshplug_dns_cache_hits_total 1/);
  t.match(text, /meshplug_dns_cache_entries 1/);
  t.match(text, /meshplug_dns_upstream_duration_seconds_count\{transport="udp"\} 1/);
  t.match(text, /meshplug_dns_table_names \d+/);
});

t.test('invalid options are rejected once, listing every problem', async (t) => {
  t.throws(() => new DnsShim({ listen: 'localhost:53', upstreams: ['x'], upstreamTimeoutMs: 0 }), {
    code: 'DNS_ERR_INVALID_OPTIONS',
    message: /listen localhost:53.*upstreams: x.*upstreamTimeoutMs 0/,
  });
  t.ok(Object.isFrozen(new DnsShim().options));
});

t.test('a port already taken is a DNS_ERR_LISTEN error', async (t) => {
  const { port } = await start(t);
  const second = new DnsShim({ listen: `127.0.0.1:${port}` });
  await t.rejects(second.start(), { code: 'DNS_ERR_LISTEN' });
});
