import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import t from 'tap';
import { endpoint, meshDoc, outbound } from '../helpers/mesh-doc.js';
import { httpRequest, type Reply } from '../helpers/net.js';
import { startHarness } from '../helpers/proxy-harness.js';
import { establishedTo } from '../helpers/tcp-table.js';

// Listeners and upstreams of this file live on 127.77.10.x.
const PORT = 8080;
const UPSTREAM = '127.77.10.100';

/**
 * An HTTP upstream that, on the second request of each keep-alive connection,
 * does `onSecond` instead of answering: what a server closing an idle
 * connection while a request is on its way looks like to the caller.
 */
async function startFickle(onSecond: (res: ServerResponse) => void): Promise<{ port: number; received: string[]; connections: () => number; close(): Promise<void> }> {
  const requests = new WeakMap<Socket, number>();
  const received: string[] = [];
  let connections = 0;
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const n = (requests.get(req.socket) ?? 0) + 1;
    requests.set(req.socket, n);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(`${req.method} ${body}`);
      if (n === 2) return onSecond(res);
      res.end(`ok:${body}`);
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((r) => server.listen(0, UPSTREAM, r));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const post = (vip: string, body: string): Promise<Reply> => httpRequest(`http://${vip}:${PORT}/`, { method: 'POST', body });
const code = (r: Reply): string => (JSON.parse(r.body.toString()) as { code: string }).code;

t.test('a reused keep-alive connection closed before any answer byte: retried on a new one, POST included', async (t) => {
  const closing = await startFickle((res) => res.socket?.destroy());
  const partial = await startFickle((res) => {
    res.socket?.write('HTTP/1.1 200 OK\r\n');
    res.socket?.destroy();
  });
  t.teardown(() => Promise.all([closing.close(), partial.close()]));
  // Default RetryOn (connect-failure) and Retries (2).
  const h = await startHarness(
    meshDoc('v1', {
      outbound: [outbound('127.77.10.1', PORT, [endpoint(UPSTREAM, closing.port)]), outbound('127.77.10.2', PORT, [endpoint(UPSTREAM, partial.port)])],
    }),
  );
  t.teardown(() => h.close());

  t.equal((await post('127.77.10.1', 'one')).body.toString(), 'ok:one');
  const second = await post('127.77.10.1', 'two');
  t.equal(second.status, 200, 'the refused request was sent again');
  t.equal(second.body.toString(), 'ok:two');
  t.same(closing.received, ['POST one', 'POST two', 'POST two'], 'first on the reused connection (closed unanswered), then on a new one');
  t.equal(closing.connections(), 2);

  // Part of an answer arrived: the endpoint did process the request, so a POST is not repeated.
  t.equal((await post('127.77.10.2', 'one')).body.toString(), 'ok:one');
  const cut = await post('127.77.10.2', 'two');
  t.equal(cut.status, 502);
  t.equal(code(cut), 'MESH_ERR_UPSTREAM_RESET');
  t.same(partial.received, ['POST one', 'POST two'], 'sent once');
  const { clusters } = (await (await fetch(`${h.admin}/clusters`)).json()) as { clusters: { listener: string; endpoints: { errors: number }[] }[] };
  const errors = (vip: string): number | undefined => clusters.find((c) => c.listener === `outbound|${vip}:${PORT}`)?.endpoints[0]?.errors;
  t.equal(errors('127.77.10.1'), 0, 'a refused stream is no endpoint failure');
  t.equal(errors('127.77.10.2'), 1);
});

t.test('a fresh connection closed before any answer byte is a reset: a POST is not repeated', async (t) => {
  let connections = 0;
  const received: string[] = [];
  const upstream = createHttpServer((req) => {
    req.resume();
    received.push(req.method ?? '');
    req.on('end', () => req.socket.destroy());
  });
  upstream.on('connection', () => (connections += 1));
  await new Promise<void>((r) => upstream.listen(0, UPSTREAM, r));
  t.teardown(() => new Promise<void>((r) => upstream.close(() => r())));
  const h = await startHarness(meshDoc('v1', { outbound: [outbound('127.77.10.3', PORT, [endpoint(UPSTREAM, (upstream.address() as AddressInfo).port)])] }));
  t.teardown(() => h.close());
  const r = await post('127.77.10.3', 'x');
  t.equal(r.status, 502);
  t.equal(code(r), 'MESH_ERR_UPSTREAM_RESET');
  t.same(received, ['POST']);
  t.equal(connections, 1);
});

t.test('MaxConnections caps upstream sockets while requests time out and waiting ones take their slots', async (t) => {
  const LIMIT = 2;
  let peak = 0;
  let accepted = 0;
  const sockets = new Set<Socket>();
  // Accepts, reads and never answers.
  const silent: Server = createServer((s) => {
    accepted += 1;
    sockets.add(s);
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    s.once('close', () => sockets.delete(s));
    peak = Math.max(peak, establishedTo(UPSTREAM, port));
  });
  await new Promise<void>((r) => silent.listen(0, UPSTREAM, r));
  const port = (silent.address() as AddressInfo).port;
  t.teardown(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });
  const h = await startHarness(
    meshDoc('v1', {
      outbound: [
        outbound('127.77.10.4', PORT, [endpoint(UPSTREAM, port)], {
          options: { MaxConnections: String(LIMIT), MaxPendingRequests: '100', RequestTimeoutMS: '200', Retries: '0' },
        }),
      ],
    }),
  );
  t.teardown(() => h.close());
  // Waves of requests, so that requests wait while earlier ones time out and free their slots.
  const answers: Promise<Reply>[] = [];
  for (let wave = 0; wave < 6; wave++) {
    for (let i = 0; i < 4; i++) answers.push(httpRequest(`http://127.77.10.4:${PORT}/`));
    await new Promise((r) => setTimeout(r, 70));
  }
  const statuses = (await Promise.all(answers)).map((r) => r.status);
  t.same([...new Set(statuses)], [504], 'every request timed out');
  t.ok(accepted > LIMIT, `waiting requests reached the endpoint after others timed out (${accepted} connections)`);
  t.ok(peak <= LIMIT, `at most MaxConnections sockets at once (peak ${peak})`);
});
