import t from 'tap';
import * as dnsPacket from 'dns-packet';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { TcpTransport } from '../../src/forward/tcp-transport.js';
import { UdpTransport } from '../../src/forward/udp-transport.js';
import type { UpstreamTransport } from '../../src/forward/upstream-transport.js';
import { FakeUpstream } from '../helpers/fake-upstream.js';
import { decodeReply, query } from '../helpers/dns-client.js';

/** One conformance suite for every transport. */
const transports: [string, () => UpstreamTransport][] = [
  ['udp', () => new UdpTransport()],
  ['tcp', () => new TcpTransport()],
];

for (const [name, make] of transports) {
  t.test(`${name} transport conformance`, async (t) => {
    const up = await new FakeUpstream().start();
    const silent = await new FakeUpstream({ silent: true }).start();
    const transport = make();
    t.teardown(async () => {
      await transport.close();
      await up.stop();
      await silent.stop();
    });

    await t.test('answers the question it was asked, under its own message ID', async (t) => {
      const q = query('A.Example.Test', 'A', { id: 1234 });
      const replies = await Promise.all([transport.exchange(q, { host: '127.0.0.1', port: up.port }, 2000), transport.exchange(query('b.example.test'), { host: '127.0.0.1', port: up.port }, 2000)]);
      const first = decodeReply(replies[0]);
      t.equal(first.questions?.[0]?.name.toLowerCase(), 'a.example.test');
      t.same(first.answers?.map((a) => a.data), ['198.18.0.1']);
      t.equal(decodeReply(replies[1]).questions?.[0]?.name, 'b.example.test');
      t.equal(up.seen.at(-1)?.transport, name);
    });

    await t.test('a silent upstream times out with DNS_ERR_UPSTREAM_TIMEOUT', async (t) => {
      await t.rejects(transport.exchange(query('a.example.test'), { host: '127.0.0.1', port: silent.port }, 100), {
        code: 'DNS_ERR_UPSTREAM_TIMEOUT',
      });
    });

    await t.test('a reply that does not match the question is not accepted', async (t) => {
      // A server answering every query with the same canned reply (wrong question).
      const canned = dnsPacket.encode({ type: 'response', id: 0, questions: [{ name: 'other.test', type: 'A' }] });
      const liar = await new FakeUpstream({
        respond: (msg) => {
          const r = Buffer.from(canned);
          msg.copy(r, 0, 0, 2);
          return r;
        },
      }).start();
      t.teardown(() => liar.stop());
      await t.rejects(transport.exchange(query('a.example.test'), { host: '127.0.0.1', port: liar.port }, 200));
    });
  });
}

t.test('tcp: a refused connection fails fast with DNS_ERR_UPSTREAM_FAILED', async (t) => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  const transport = new TcpTransport();
  await t.rejects(transport.exchange(query('a.example.test'), { host: '127.0.0.1', port }, 2000), { code: 'DNS_ERR_UPSTREAM_FAILED' });
});
