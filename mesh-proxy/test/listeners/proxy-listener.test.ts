import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer, connect, type Server, type Socket } from 'node:net';
import t from 'tap';
import { silentLogger } from '@meshplug/plugin-api';
import { ProxyListener } from '../../src/listeners/proxy-listener.js';
import { ProxyMetrics } from '../../src/metrics/proxy-metrics.js';
import { FakeTimers } from '../helpers/fake-timers.js';
import { waitFor } from '../helpers/net.js';

// 127.77.7.x for this file.
const deps = (timers: FakeTimers, drainIdleGraceMs = 500) => ({
  logger: silentLogger(),
  metrics: new ProxyMetrics(),
  timers,
  bindRetryMinMs: 100,
  bindRetryMaxMs: 450,
  drainIdleGraceMs,
});

/** Sends `GET path` on a raw keep-alive connection and reads the whole answer (its body is `ok`). */
function get(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (c: Buffer): void => {
      text += c.toString('latin1');
      if (!text.endsWith('\r\n\r\nok')) return;
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve(text);
    };
    const onClose = (): void => reject(new Error(`closed before the answer to ${path}; got ${JSON.stringify(text)}`));
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write(`GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`);
  });
}

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

t.test('HTTP drain: idle keep-alive connections stay usable for the grace, then idle ones close; busy ones finish', async (t) => {
  const timers = new FakeTimers();
  const held: ServerResponse[] = [];
  let listener: ProxyListener | undefined;
  // Stands in for the proxy's HTTP server: answers `connection: close` while draining.
  const server = createHttpServer((req, res) => {
    if (listener?.draining) res.setHeader('connection', 'close');
    res.setHeader('content-length', '2');
    if (req.url === '/hold') held.push(res);
    else res.end('ok');
  });
  listener = new ProxyListener('k', '127.77.7.4', 7000, server, deps(timers));
  await listener.listen();
  const open = async (): Promise<Socket> => {
    const s = connect(7000, '127.77.7.4');
    s.on('error', () => undefined);
    t.match(await get(s, '/'), /^HTTP\/1.1 200 OK\r\n/);
    return s;
  };
  const reused = await open();
  const idle = await open();
  const busy = await open();
  busy.write('GET /hold HTTP/1.1\r\nhost: x\r\n\r\n');
  await waitFor(() => held.length === 1, 5000, 'request in flight');

  let drained = false;
  const drain = listener.drain(60_000).then(() => (drained = true));
  t.equal(server.listening, false, 'no longer accepting');
  t.same(timers.delays, [60_000, 500], 'the deadline, and the grace for idle connections');
  const answer = await get(reused, '/');
  t.match(answer, /\r\nconnection: close\r\n/i, 'a request on an idle connection is still served, told to close');
  await new Promise((r) => reused.once('close', r));
  t.equal(idle.destroyed, false, 'the other idle connection is still open');

  const idleClosed = new Promise((r) => idle.once('close', r));
  timers.fireDelay(500);
  await idleClosed;
  t.pass('idle connections closed once the grace is over');
  t.equal(busy.destroyed, false, 'the busy one is left to finish');
  t.equal(drained, false);
  const last = new Promise((r) => busy.once('close', r));
  // Its head goes out now, during the drain: `connection: close`, as the proxy answers.
  held[0]!.setHeader('connection', 'close');
  held[0]!.end('ok');
  await last;
  await drain;
  t.equal(timers.size, 0, 'no timer left');
  t.equal(listener.state, 'closed');
});

t.test('HTTP drain with a zero grace closes idle keep-alive connections at once', async (t) => {
  const timers = new FakeTimers();
  const listener = new ProxyListener('k', '127.77.7.5', 7000, createHttpServer((_req, res) => res.end('ok')), deps(timers, 0));
  await listener.listen();
  const s = connect(7000, '127.77.7.5');
  s.on('error', () => undefined);
  await get(s, '/');
  const drain = listener.drain(60_000);
  await new Promise((r) => s.once('close', r));
  await drain;
  t.same(timers.delays, [60_000]);
});
