import t from 'tap';
import * as dnsPacket from 'dns-packet';
import { inspectResponse } from '../../src/wire/inspect-response.js';

const soa = (ttl: number, minimum: number): dnsPacket.Answer => ({
  type: 'SOA',
  name: 'example.test',
  ttl,
  data: { mname: 'ns.example.test', rname: 'h.example.test', serial: 1, minimum },
});

function reply(p: Partial<dnsPacket.Packet>): Buffer {
  return dnsPacket.encode({ type: 'response', id: 5, questions: [{ name: 'A.example.test', type: 'A' }], ...p });
}

t.test('positive: the smallest answer TTL, every TTL offset except OPT', async (t) => {
  const buf = reply({
    answers: [
      { type: 'A', name: 'a.example.test', ttl: 300, data: '198.18.0.1' },
      { type: 'A', name: 'a.example.test', ttl: 40, data: '198.18.0.2' },
    ],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0, options: [] } as unknown as dnsPacket.Answer],
  });
  const info = inspectResponse(buf);
  t.equal(info?.cacheTtl, 40);
  t.equal(info?.negative, false);
  t.equal(info?.ttlOffsets.length, 2);
  t.equal(info?.nameKey, '\x01a\x07example\x04test\x00');
  t.same(info?.ttlOffsets.map((o) => buf.readUInt32BE(o)), [300, 40]);
});

t.test('negative: min(SOA TTL, SOA MINIMUM) for NXDOMAIN and NODATA (RFC 2308)', async (t) => {
  t.equal(inspectResponse(reply({ flags: 3, authorities: [soa(60, 30)] }))?.cacheTtl, 30);
  t.equal(inspectResponse(reply({ authorities: [soa(20, 30)] }))?.cacheTtl, 20);
  t.equal(inspectResponse(reply({ flags: 3, authorities: [soa(60, 30)] }))?.negative, true);
});

t.test('not cacheable: negative without SOA, SERVFAIL, truncated', async (t) => {
  t.equal(inspectResponse(reply({ flags: 3 }))?.cacheTtl, 0);
  t.equal(inspectResponse(reply({ flags: 2, authorities: [soa(60, 30)] }))?.cacheTtl, 0);
  const tc = reply({ flags: dnsPacket.TRUNCATED_RESPONSE, answers: [{ type: 'A', name: 'a', ttl: 9, data: '198.18.0.1' }] });
  t.equal(inspectResponse(tc)?.truncated, true);
  t.equal(inspectResponse(tc)?.cacheTtl, 0);
});

t.test('malformed or not a reply: undefined', async (t) => {
  const good = reply({ answers: [{ type: 'A', name: 'a.example.test', ttl: 300, data: '198.18.0.1' }] });
  t.equal(inspectResponse(good.subarray(0, good.length - 2)), undefined);
  t.equal(inspectResponse(Buffer.alloc(5)), undefined);
  t.equal(inspectResponse(dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: 'a', type: 'A' }] })), undefined);
  const badSoa = reply({ flags: 3, authorities: [soa(60, 30)] });
  t.equal(inspectResponse(badSoa.subarray(0, badSoa.length - 4)), undefined);
});
