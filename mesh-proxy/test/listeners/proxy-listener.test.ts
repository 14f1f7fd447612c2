import { createServer, connect, type Server } from 'node:net';
import t from 'tap';
import { silentLogger } from '@meshplug/plugin-api';
import { ProxyListener } from '../../src/listeners/proxy-listener.js';
import { ProxyMetrics } from '../../src/metrics/proxy-metrics.js';
import { FakeTimers } from '../helpers/fake-timers.js';
import { waitFor } from '../helpers/net.js';

// 127.77.7.x for this file.
const deps = (timers: FakeTimers) => ({ logger: silentLogger(), metrics: new ProxyMetrics(), timers, bindRetryMinMs: 100, bindRetryMaxMs: 450 });

t.test('a failed bind is retried with a capped backoff until it succeeds', async (t) => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(7000, '127.77.7.1', r));
  const timers = new FakeTimers();
  const listener = new ProxyListener('k', '127.77.7.1', 7000, createServer(), deps(timers));
  await listener.listen();
  t.equal(listener.state, 'retrying');
  t.match(listener.status().lastError, /EADDRINUSE/);
  for (let i = 0; i < 4; i++) {
    timers.fireAll();
    await waitFor(() => timers.size === 1, 5000, 'next retry scheduled');
  }
  t.same(timers.delays, [100, 200, 400, 450, 450], 'doubling, capped at bindRetryMaxMs');
  await new Promise<void>((r) => blocker.close(() => r()));
  timers.fireAll();
  await waitFor(() => listener.state === 'bound', 5000, 'bound');
  t.equal(listener.status().lastError, undefined);
  t.equal(listener.status().bindAttempts, 6);
  await listener.drain(0);
});

t.test('drain: stops accepting at once, waits for open connections, destroys them at the deadline', async (t) => {
  const timers = new FakeTimers();
  const server: Server = createServer((s) => s.pipe(s));
  const listener = new ProxyListener('k', '127.77.7.2', 7000, server, deps(timers));
  await listener.listen();
  t.equal(listener.state, 'bound');
  const client = connect(7000, '127.77.7.2').resume();
  await waitFor(() => listener.status().connections === 1, 5000, 'connection accepted');
  let drained = false;
  const drain = listener.drain(1000).then(() => (drained = true));
  t.equal(listener.state, 'draining');
  t.equal(server.listening, false, 'no longer accepting');
  t.same(timers.delays, [1000]);
  client.write('still works');
  await waitFor(() => client.bytesRead === 11, 5000, 'echo while draining');
  t.equal(drained, false, 'waits for the open connection');
  const closed = new Promise((r) => client.once('close', r));
  timers.fireAll();
  await drain;
  await closed;
  t.equal(listener.state, 'closed');
});

t.test('drain resolves as soon as the last connection closes', async (t) => {
  const timers = new FakeTimers();
  const listener = new ProxyListener('k', '127.77.7.3', 7000, createServer((s) => s.pipe(s)), deps(timers));
  await listener.listen();
  const client = connect(7000, '127.77.7.3');
  await waitFor(() => listener.status().connections === 1, 5000, 'connection accepted');
  const drain = listener.drain(60_000);
  client.end();
  await drain;
  t.equal(timers.size, 0, 'the deadline timer was cleared');
});
