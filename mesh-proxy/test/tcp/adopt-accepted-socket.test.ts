import { connect, createServer, type Socket } from 'node:net';
import t from 'tap';
import { silentLogger } from '@meshplug/plugin-api';
import { ProxyListener } from '../../src/listeners/proxy-listener.js';
import { ProxyMetrics } from '../../src/metrics/proxy-metrics.js';
import { adoptAcceptedSocket } from '../../src/tcp/adopt-accepted-socket.js';
import { FakeTimers } from '../helpers/fake-timers.js';
import { waitFor } from '../helpers/net.js';

/** A listener whose connections are adopted: what the adopted socket reads is echoed through it, upper-cased. */
async function startAdopting(timers: FakeTimers): Promise<{ listener: ProxyListener; adopted: Socket[]; port: number }> {
  const adopted: Socket[] = [];
  const server = createServer({ allowHalfOpen: true }, (accepted) => {
    const buffer = Buffer.alloc(1024);
    const socket = adoptAcceptedSocket(accepted, {
      buffer,
      callback: (n, buf) => socket.write(Buffer.from(buf.subarray(0, n)).toString('latin1').toUpperCase()),
    });
    socket.once('end', () => socket.end());
    adopted.push(socket);
    socket.resume();
  });
  const listener = new ProxyListener('k', '127.0.0.1', 0, server, {
    logger: silentLogger(),
    metrics: new ProxyMetrics(),
    timers,
    bindRetryMinMs: 100,
    bindRetryMaxMs: 400,
    drainIdleGraceMs: 0,
  });
  await listener.listen();
  return { listener, adopted, port: listener.boundPort()! };
}

function echoOnce(client: Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    client.once('data', (c: Buffer) => resolve(c.toString()));
    client.write(text);
  });
}

t.test('the adopted socket reads with onread and writes; its close is the connection the listener counts', async (t) => {
  const { listener, port } = await startAdopting(new FakeTimers());
  const client = connect(port, '127.0.0.1');
  t.equal(await echoOnce(client, 'hello'), 'HELLO');
  t.equal(listener.status().connections, 1);
  client.end();
  await waitFor(() => listener.status().connections === 0, 5000, 'the stand-in to close');
  await listener.drain(1000);
  t.equal(listener.state, 'closed', 'the server saw its connection end');
});

t.test("a drain deadline destroys the listener's socket, and so the adopted one", async (t) => {
  const timers = new FakeTimers();
  const { listener, adopted, port } = await startAdopting(timers);
  const client = connect(port, '127.0.0.1');
  t.equal(await echoOnce(client, 'x'), 'X');
  const drained = listener.drain(1000);
  const closed = new Promise((r) => client.once('close', r));
  timers.fireAll();
  await drained;
  await closed;
  t.equal(adopted[0]?.destroyed, true, 'the adopted socket was destroyed');
});
