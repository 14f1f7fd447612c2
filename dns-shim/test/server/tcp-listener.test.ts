import t from 'tap';
import { connect } from 'node:net';
import { DnsShim } from '../../src/dns-shim.js';
import { FakeUpstream } from '../helpers/fake-upstream.js';
import { decodeReply, query, tcpExchange } from '../helpers/dns-client.js';
import { sampleTable } from '../helpers/tables.js';

t.test('pipelined queries on one connection all get answers, frames split across writes included', async (t) => {
  const shim = new DnsShim({ listen: '127.0.0.1:0' });
  const { port } = await shim.start();
  t.teardown(() => shim.stop());
  shim.setTable(sampleTable(), 'v1');
  const ids = Array.from({ length: 50 }, (_, i) => i + 1);
  const replies = await tcpExchange(port, ids.map((id) => query('tomcat', 'A', { id })));
  t.same(replies.map((r) => r.readUInt16BE(0)).sort((a, b) => a - b), ids);

  const socket = connect({ port, host: '127.0.0.1' });
  const msg = query('tomcat.shop', 'A', { id: 99 });
  const frame = Buffer.concat([Buffer.from([msg.length >> 8, msg.length & 0xff]), msg]);
  const got = new Promise<Buffer>((resolve) => socket.once('data', (d: Buffer) => resolve(d)));
  socket.write(frame.subarray(0, 1));
  await new Promise((r) => setTimeout(r, 20));
  socket.write(frame.subarray(1, 7));
  await new Promise((r) => setTimeout(r, 20));
  socket.write(frame.subarray(7));
  const data = await got;
  socket.destroy();
  t.same(decodeReply(data.subarray(2)).answers?.map((a) => a.data), ['127.1.0.10']);
});

t.test('an idle connection is closed', async (t) => {
  const shim = new DnsShim({ listen: '127.0.0.1:0', tcpIdleTimeoutMs: 50 });
  const { port } = await shim.start();
  t.teardown(() => shim.stop());
  const socket = connect({ port, host: '127.0.0.1' });
  const closed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 5000);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  t.ok(closed);
});

t.test('one connection never has more than tcpMaxPipelined queries in flight; all are answered', async (t) => {
  const up = await new FakeUpstream({ delayMs: 50 }).start();
  const shim = new DnsShim({ listen: '127.0.0.1:0', upstreams: [up.address], tcpMaxPipelined: 2 });
  const { port } = await shim.start();
  t.teardown(async () => {
    await shim.stop();
    await up.stop();
  });
  const names = Array.from({ length: 6 }, (_, i) => `n${i}.example.test`);
  const replies = await tcpExchange(port, names.map((n) => query(n)), 10_000);
  t.same(replies.map((r) => decodeReply(r).questions[0]?.name).sort(), names);
  t.equal(up.maxInFlight, 2);
});
