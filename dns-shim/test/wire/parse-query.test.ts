import t from 'tap';
import * as dnsPacket from 'dns-packet';
import { parseQuery } from '../../src/wire/parse-query.js';
import { nameToKey } from '../../src/wire/name-key.js';
import { hashWireName } from '../../src/wire/name-hash.js';
import { query } from '../helpers/dns-client.js';

function header(id: number, flags: number, qd: number, an = 0, ns = 0, ar = 0): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(flags, 2);
  b.writeUInt16BE(qd, 4);
  b.writeUInt16BE(an, 6);
  b.writeUInt16BE(ns, 8);
  b.writeUInt16BE(ar, 10);
  return b;
}

t.test('a plain query: lower-cased wire key and hash, type, class, no EDNS', async (t) => {
  const raw = query('TomCat.Shop.', 'AAAA', { id: 7 });
  const r = parseQuery(raw);
  if (r.kind !== 'query') throw new Error(`got ${r.kind}`);
  t.equal(r.id, 7);
  t.equal(r.nameKey, nameToKey('tomcat.shop'));
  t.equal(r.nameEnd, 12 + 13);
  const key = Buffer.from(nameToKey('tomcat.shop')!, 'latin1');
  t.equal(r.nameHash, hashWireName(key, 0, key.length), 'the hash of the folded name, whatever its case');
  t.equal(r.qtype, 28);
  t.equal(r.qclass, 1);
  t.equal(r.questionEnd, raw.length);
  t.equal(r.edns, undefined);
});

t.test('EDNS0: payload size and DO bit are read', async (t) => {
  const r = parseQuery(query('a.example.test', 'A', { edns: 4096, do: true }));
  if (r.kind !== 'query') throw new Error(`got ${r.kind}`);
  t.same(r.edns, { udpPayloadSize: 4096, dnssecOk: true });
  t.ok(r.messageEnd > r.questionEnd);
});

t.test('the root name parses', async (t) => {
  const r = parseQuery(query('.', 'NS'));
  t.equal(r.kind, 'query');
});

t.test('shorter than a header, or a response: silence', async (t) => {
  t.same(parseQuery(Buffer.alloc(11)), { kind: 'drop' });
  const reply = dnsPacket.encode({ type: 'response', id: 1, questions: [{ name: 'a', type: 'A' }] });
  t.same(parseQuery(reply), { kind: 'drop' });
});

t.test('other opcodes: NOTIMP', async (t) => {
  const r = parseQuery(header(9, 5 << 11, 1));
  t.same(r, { kind: 'reject', id: 9, flags: 5 << 11, rcode: 4 });
});

t.test('malformed questions: FORMERR with the header ID', async (t) => {
  const cases: [string, Buffer][] = [
    ['zero questions', header(1, 0, 0)],
    ['two questions', Buffer.concat([header(1, 0, 2), Buffer.from([1, 97, 0, 0, 1, 0, 1, 1, 98, 0, 0, 1, 0, 1])])],
    ['label over 63', Buffer.concat([header(1, 0, 1), Buffer.from([64]), Buffer.alloc(64, 97), Buffer.from([0, 0, 1, 0, 1])])],
    ['name over 255', Buffer.concat([header(1, 0, 1), ...Array.from({ length: 5 }, () => Buffer.concat([Buffer.from([60]), Buffer.alloc(60, 97)])), Buffer.from([0, 0, 1, 0, 1])])],
    ['compression pointer in the question', Buffer.concat([header(1, 0, 1), Buffer.from([0xc0, 12, 0, 1, 0, 1])])],
    ['pointer loop in the question', Buffer.concat([header(1, 0, 1), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])])],
    ['name runs past the end', Buffer.concat([header(1, 0, 1), Buffer.from([5, 97, 98])])],
    ['no type and class', Buffer.concat([header(1, 0, 1), Buffer.from([1, 97, 0, 0])])],
    ['additional count without records', Buffer.concat([header(1, 0, 1, 0, 0, 1), Buffer.from([1, 97, 0, 0, 1, 0, 1])])],
    ['two OPT records', Buffer.concat([header(1, 0, 1, 0, 0, 2), Buffer.from([1, 97, 0, 0, 1, 0, 1]), Buffer.from([0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0])])],
    ['OPT not owned by the root', Buffer.concat([header(1, 0, 1, 0, 0, 1), Buffer.from([1, 97, 0, 0, 1, 0, 1]), Buffer.from([1, 97, 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0])])],
    ['record data past the end', Buffer.concat([header(1, 0, 1, 1), Buffer.from([1, 97, 0, 0, 1, 0, 1]), Buffer.from([0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 9, 1])])],
  ];
  for (const [what, raw] of cases) t.same(parseQuery(raw), { kind: 'reject', id: 1, flags: 0, rcode: 1 }, what);
});

t.test('answer and authority records of a query are skipped, compressed names included', async (t) => {
  const raw = Buffer.concat([
    header(3, 0, 1, 1),
    Buffer.from([1, 97, 0, 0, 1, 0, 1]),
    Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 1, 2, 3, 4]),
  ]);
  const r = parseQuery(raw);
  t.equal(r.kind, 'query');
  if (r.kind === 'query') t.equal(r.messageEnd, raw.length);
});
