import t from 'tap';
import * as dnsPacket from 'dns-packet';
import { MeshTable } from '../../src/table/mesh-table.js';
import { validateDnsTable } from '../../src/table/validate-dns-table.js';
import { buildPrebuiltReply } from '../../src/wire/build-response.js';
import { parseQuery, type ParsedQuery } from '../../src/wire/parse-query.js';
import { decodeReply, query, type LooseReply } from '../helpers/dns-client.js';
import { sampleTable } from '../helpers/tables.js';

const table = new MeshTable(validateDnsTable(sampleTable()), 'v1');

function ask(name: string, type: dnsPacket.RecordType | 'ANY' = 'A', cls?: dnsPacket.RecordClass): { raw: Buffer; q: ParsedQuery } {
  const raw = dnsPacket.encode({ type: 'query', id: 1, questions: [{ name, type: type as dnsPacket.RecordType, class: cls ?? 'IN' }] });
  const r = parseQuery(raw);
  if (r.kind !== 'query') throw new Error(r.kind);
  return { raw, q: r };
}

/** The decoded reply the table gives, or undefined when the name is forwarded. */
function answer(name: string, type: dnsPacket.RecordType | 'ANY' = 'A', cls?: dnsPacket.RecordClass): LooseReply | undefined {
  const { raw, q } = ask(name, type, cls);
  const prebuilt = table.lookup(q);
  return prebuilt === undefined ? undefined : decodeReply(buildPrebuiltReply(raw, q, prebuilt, 1232));
}

t.test('every name form answers A with the VIP, case-insensitively, with and without trailing dot', async (t) => {
  for (const name of ['tomcat', 'tomcat.shop', 'tomcat.shop.svc', 'tomcat.shop.svc.cluster.local', 'TOMCAT.Shop.SVC.cluster.LOCAL.', 'Tomcat.']) {
    const r = answer(name);
    t.equal(r?.rcode, 'NOERROR', name);
    t.same(r?.answers?.map((a) => [a.type, a.data, a.ttl]), [['A', '127.1.0.10', 5]], name);
    t.equal(r?.questions?.[0]?.name, name.replace(/\.$/, ''), `${name}: the client's own case comes back`);
    t.equal(r?.flag_aa, true);
  }
  t.same(answer('redis.cache.svc.cluster.local')?.answers?.map((a) => a.data), ['127.1.0.11']);
});

t.test('AAAA and other types of a mesh name: NOERROR, no records, SOA for negative caching', async (t) => {
  for (const type of ['AAAA', 'TXT', 'MX'] as const) {
    const r = answer('tomcat.shop.svc.cluster.local', type);
    t.equal(r?.rcode, 'NOERROR', type);
    t.equal(r?.answers?.length, 0, type);
    const soa = r?.authorities?.[0];
    t.equal(soa?.type, 'SOA');
    t.equal(soa?.name, 'cluster.local');
    t.equal(soa?.data.minimum, 5);
  }
  t.equal(answer('tomcat', 'AAAA')?.authorities?.[0]?.name, 'tomcat', 'short names are their own apex');
});

t.test('ANY answers like A', async (t) => {
  t.same(answer('tomcat', 'ANY')?.answers?.map((a) => a.data), ['127.1.0.10']);
});

t.test('SRV _<port>._tcp.<name form>: the port, the FQDN target, its A in additional', async (t) => {
  for (const name of ['_http._tcp.tomcat', '_http._tcp.tomcat.shop.svc.cluster.local', '_HTTP._TCP.tomcat.shop']) {
    const r = answer(name, 'SRV');
    const srv = r?.answers?.[0];
    t.equal(srv?.data.port, 8080, name);
    t.equal(srv?.data.target, 'tomcat.shop.svc.cluster.local', name);
    t.same(r?.additionals?.map((a) => [a.name, a.data]), [['tomcat.shop.svc.cluster.local', '127.1.0.10']], name);
  }
  t.equal(answer('_redis._tcp.redis.cache', 'SRV')?.answers?.[0]?.data.port, 6379);
  t.equal(answer('_http._tcp.tomcat', 'A')?.answers?.length, 0, 'an SRV name has no A');
  t.equal(answer('_tcp.tomcat.shop', 'SRV')?.rcode, 'NOERROR', '_tcp.<name> exists (empty non-terminal)');
});

t.test('names under a (multi-label) mesh name that do not exist are NXDOMAIN', async (t) => {
  for (const name of ['x.tomcat.shop.svc.cluster.local', '_grpc._tcp.tomcat.shop.svc.cluster.local', 'a.b.tomcat.shop', '_http._udp.tomcat.shop.svc']) {
    const r = answer(name);
    t.equal(r?.rcode, 'NXDOMAIN', name);
    t.equal(r?.authorities?.[0]?.type, 'SOA', name);
  }
});

t.test('everything else is not the mesh (forwarded)', async (t) => {
  for (const name of ['example.com', 'other.shop.svc.cluster.local', 'tomcat.other', 'tomcat.shop.shop.svc.cluster.local', 'x.tomcat', 'redis', 'cluster.local', '.']) {
    t.equal(answer(name), undefined, name);
  }
  t.equal(answer('tomcat', 'A', 'CH'), undefined, 'other classes are forwarded');
});

t.test('a name claimed by two records stays with the first; IPv6 VIPs answer AAAA', async (t) => {
  const dup = new MeshTable(
    validateDnsTable(
      sampleTable({
        records: [
          { names: ['tomcat'], service: 'shop/tomcat', address: '127.1.0.10', ports: [] },
          { names: ['tomcat', 'v6'], service: 'shop/v6', address: 'fd00::1', ports: [] },
        ],
      }),
    ),
    'v2',
  );
  t.same(dup.conflicts, ['tomcat (shop/v6)']);
  const { q } = ask('tomcat');
  t.equal(dup.lookup(q)?.ancount, 1);
  const v6 = ask('v6', 'AAAA');
  t.equal(dup.lookup(v6.q)?.ancount, 1);
  const v6a = ask('v6', 'A');
  t.equal(dup.lookup(v6a.q)?.ancount, 0);
});

t.test('a query with EDNS still matches (the key is the question only)', async (t) => {
  const raw = query('tomcat', 'A', { edns: 4096 });
  const r = parseQuery(raw);
  if (r.kind !== 'query') throw new Error(r.kind);
  t.equal(table.lookup(r)?.ancount, 1);
});

t.test('the whole-reply fast path: the client ID, RD/CD bits, name case and type come back; EDNS adds one OPT', async (t) => {
  const flags = (rd: boolean, cd: boolean): number => (rd ? dnsPacket.RECURSION_DESIRED : 0) | (cd ? dnsPacket.CHECKING_DISABLED : 0);
  for (const [rd, cd] of [[true, false], [false, true], [false, false]] as const) {
    const raw = dnsPacket.encode({ type: 'query', id: 4321, flags: flags(rd, cd), questions: [{ name: 'TomCat.shop', type: 'A' }] });
    const r = parseQuery(raw);
    if (r.kind !== 'query') throw new Error(r.kind);
    const answer = table.lookup(r);
    t.ok(answer?.template, 'an exact mesh name has a whole-reply template');
    const out = decodeReply(buildPrebuiltReply(raw, r, answer!, 1232));
    t.equal(out.id, 4321);
    t.equal(Boolean(out.flags & dnsPacket.RECURSION_DESIRED), rd, 'RD echoed');
    t.equal(Boolean(out.flags & dnsPacket.CHECKING_DISABLED), cd, 'CD echoed');
    t.equal(out.questions[0]?.name, 'TomCat.shop');
    t.same(out.answers.map((a) => a.data), ['127.1.0.10']);
  }
  // One NODATA reply serves every other type: the question must carry the type the client asked.
  const { raw, q } = ask('tomcat', 'TXT');
  t.equal(decodeReply(buildPrebuiltReply(raw, q, table.lookup(q)!, 1232)).questions[0]?.type, 'TXT');
  const srv = query('_http._tcp.tomcat.shop', 'SRV', { edns: 4096, do: true });
  const parsedSrv = parseQuery(srv);
  if (parsedSrv.kind !== 'query') throw new Error(parsedSrv.kind);
  const out = decodeReply(buildPrebuiltReply(srv, parsedSrv, table.lookup(parsedSrv)!, 1232));
  t.same(out.additionals.map((a) => a.type), ['A', 'OPT'], 'the SRV target address, then our OPT');
});

t.test('answers below a mesh name are not templates: the NXDOMAIN carries the name the client asked', async (t) => {
  const { raw, q } = ask('x.Tomcat.shop');
  const answer = table.lookup(q);
  t.equal(answer?.template, undefined);
  const out = decodeReply(buildPrebuiltReply(raw, q, answer!, 1232));
  t.equal(out.rcode, 'NXDOMAIN');
  t.equal(out.questions[0]?.name, 'x.Tomcat.shop');
});
