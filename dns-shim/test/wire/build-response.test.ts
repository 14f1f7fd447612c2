import t from 'tap';
import * as dnsPacket from 'dns-packet';
import { buildEmptyReply, buildHeaderReply, buildPrebuiltReply, clientUdpLimit } from '../../src/wire/build-response.js';
import { parseQuery, type ParsedQuery } from '../../src/wire/parse-query.js';
import { query } from '../helpers/dns-client.js';

function parsed(raw: Buffer): ParsedQuery {
  const r = parseQuery(raw);
  if (r.kind !== 'query') throw new Error(r.kind);
  return r;
}

const tail = dnsPacket
  .encode({ type: 'response', questions: [{ name: 'x', type: 'A' }], answers: [{ type: 'A', name: 'x', ttl: 5, data: '127.1.0.1' }] })
  .subarray(12 + 3 + 4);

t.test('prebuilt reply: client ID, client question case, RD echoed, AA and RA set', async (t) => {
  const raw = query('X', 'A', { id: 4242 });
  const out = dnsPacket.decode(buildPrebuiltReply(raw, parsed(raw), { rcode: 0, authoritative: true, ancount: 1, nscount: 0, arcount: 0, tail, template: undefined }, 1232));
  t.equal(out.id, 4242);
  t.equal(out.questions?.[0]?.name, 'X');
  t.ok(out.flag_qr && out.flag_aa && out.flag_rd && out.flag_ra);
  t.same(out.answers?.map((a) => (a as dnsPacket.StringAnswer).data), ['127.1.0.1']);
  t.equal(out.additionals?.length, 0);
});

t.test('prebuilt reply to an EDNS query carries an OPT with our size and the DO bit echoed', async (t) => {
  const raw = query('x', 'A', { edns: 4096, do: true });
  const out = dnsPacket.decode(buildPrebuiltReply(raw, parsed(raw), { rcode: 0, authoritative: true, ancount: 1, nscount: 0, arcount: 0, tail, template: undefined }, 1232));
  const opt = out.additionals?.[0] as dnsPacket.OptAnswer | undefined;
  t.equal(opt?.type, 'OPT');
  t.equal(opt?.udpPayloadSize, 1232);
  t.equal(opt?.flag_do, true);
});

t.test('empty reply: rcode and TC, question kept', async (t) => {
  const raw = query('a.example.test', 'A', { id: 3 });
  const out = dnsPacket.decode(buildEmptyReply(raw, parsed(raw), 2, 1232, true));
  t.equal(out.id, 3);
  t.equal((out.flags ?? 0) & 0xf, 2);
  t.equal(out.flag_tc, true);
  t.equal(out.questions?.[0]?.name, 'a.example.test');
});

t.test('header reply echoes ID and opcode', async (t) => {
  const out = buildHeaderReply(77, (2 << 11) | 0x0100, 4);
  t.equal(out.length, 12);
  t.equal(out.readUInt16BE(0), 77);
  t.equal((out.readUInt16BE(2) >> 11) & 0xf, 2);
  t.equal(out.readUInt16BE(2) & 0xf, 4);
  t.equal(out.readUInt16BE(2) & 0x8000, 0x8000);
});

t.test('client UDP limit: 512 without EDNS, never below 512, never above ours', async (t) => {
  t.equal(clientUdpLimit(parsed(query('a')), 1232), 512);
  t.equal(clientUdpLimit(parsed(query('a', 'A', { edns: 100 })), 1232), 512);
  t.equal(clientUdpLimit(parsed(query('a', 'A', { edns: 4096 })), 1232), 1232);
  t.equal(clientUdpLimit(parsed(query('a', 'A', { edns: 1000 })), 1232), 1000);
});
