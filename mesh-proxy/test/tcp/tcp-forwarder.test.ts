import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import { endpoint, meshDoc, outbound } from '../helpers/mesh-doc.js';
import { freePort, startTcpUpstream, waitFor } from '../helpers/net.js';
import { startHarness } from '../helpers/proxy-harness.js';

// Listeners of this file live on 127.77.3.x.
const PORT = 6379;
const VIP_HALF = '127.77.3.1';
const VIP_IDLE = '127.77.3.2';
const VIP_FAILOVER = '127.77.3.3';
const VIP_MAXCONN = '127.77.3.4';
const VIP_BULK = '127.77.3.5';

/** Answers only after the client half-closed: `got:<bytes received>`, then closes its side. */
const counting = await startTcpUpstream((s) => {
  let n = 0;
  s.on('data', (c: Buffer) => (n += c.length));
  s.on('end', () => s.end(`got:${n}`));
});
const echo = await startTcpUpstream((s) => s.pipe(s));
/** Reads nothing until `start()`, then answers the SHA-256 of all it received once the client half-closed. */
let bulkSocket: Socket | undefined;
const hashing = await startTcpUpstream((s) => {
  bulkSocket = s;
  s.pause();
  const hash = createHash('sha256');
  s.on('data', (c: Buffer) => hash.update(c));
  s.on('end', () => s.end(hash.digest('hex')));
});
const deadPort = await freePort();
const tcp = { mode: 'tcp' as const, protocol: 'tcp' };

const h = await startHarness(
  meshDoc('v1', {
    outbound: [
      outbound(VIP_HALF, PORT, [endpoint('127.0.0.1', counting.port)], tcp),
      outbound(VIP_IDLE, PORT, [endpoint('127.0.0.1', echo.port)], { ...tcp, options: { TCPIdleTimeout: '1' } }),
      outbound(VIP_FAILOVER, PORT, [endpoint('127.0.0.1', deadPort), endpoint('127.0.0.1', echo.port)], {
        ...tcp,
        options: { ConsecutiveErrors: '1000' },
      }),
      outbound(VIP_MAXCONN, PORT, [endpoint('127.0.0.1', echo.port)], { ...tcp, options: { MaxConnections: '1' } }),
      outbound(VIP_BULK, PORT, [endpoint('127.0.0.1', hashing.port)], tcp),
    ],
  }),
);
t.teardown(async () => {
  await h.close();
  await counting.close();
  await echo.close();
  await hashing.close();
});

function collect(s: Socket): Promise<{ data: string; ended: boolean }> {
  return new Promise((resolve) => {
    let data = '';
    let ended = false;
    s.on('data', (c: Buffer) => (data += c.toString()));
    s.on('end', () => (ended = true));
    s.on('error', () => undefined);
    s.on('close', () => resolve({ data, ended }));
  });
}

async function roundTrip(vip: string, text: string): Promise<string> {
  const s = connect({ host: vip, port: PORT });
  const done = collect(s);
  s.write(text);
  await waitFor(() => s.bytesRead >= text.length, 5000, 'echo');
  s.end();
  return (await done).data;
}

t.test('half-close: the client FIN reaches the upstream and its answer still comes back', async (t) => {
  const s = connect({ host: VIP_HALF, port: PORT, allowHalfOpen: true });
  const done = collect(s);
  s.write('hello');
  s.end();
  const { data, ended } = await done;
  t.equal(data, 'got:5', 'answer written after the upstream saw the FIN');
  t.ok(ended, 'then the upstream FIN reached the client');
});

t.test('TCPIdleTimeout closes a silent connection on both sides', async (t) => {
  const s = connect({ host: VIP_IDLE, port: PORT });
  await new Promise((r) => s.once('connect', r));
  await waitFor(() => echo.sockets.size === 1, 5000, 'upstream connection');
  await collect(s);
  t.pass('the proxy closed the idle downstream connection');
  await waitFor(() => echo.sockets.size === 0, 5000, 'upstream connection closed');
  t.pass('and its upstream connection');
});

t.test('a failed connect tries another endpoint', async (t) => {
  for (let i = 0; i < 4; i++) t.equal(await roundTrip(VIP_FAILOVER, `ping${i}`), `ping${i}`);
  const body = (await (await fetch(`${h.admin}/clusters`)).json()) as { clusters: { name: string; endpoints: { port: number; errors: number }[] }[] };
  const c = body.clusters.find((x) => x.name.includes('127-77-3-3'))!;
  t.ok(c.endpoints.find((e) => e.port === deadPort)!.errors >= 1, 'the dead endpoint was tried');
});

t.test('MaxConnections refuses connections over the limit', async (t) => {
  const first = connect({ host: VIP_MAXCONN, port: PORT });
  const firstDone = collect(first);
  first.write('a');
  await waitFor(() => first.bytesRead === 1, 5000, 'first echo');
  const second = connect({ host: VIP_MAXCONN, port: PORT });
  second.write('b');
  const { data } = await collect(second);
  t.equal(data, '', 'the second connection is closed without reaching the upstream');
  first.end();
  await firstDone;
  await waitFor(async () => {
    const body = (await (await fetch(`${h.admin}/clusters`)).json()) as { clusters: { name: string; circuitBreaker: { active: { connections: number } } }[] };
    return body.clusters.find((x) => x.name.includes('127-77-3-4'))!.circuitBreaker.active.connections === 0;
  }, 5000, 'the slot to be released');
  t.equal(await roundTrip(VIP_MAXCONN, 'c'), 'c', 'a slot is free again once the first closed');
});

t.test('bytes arrive intact when the upstream reads late (the proxy queues reads behind a pending write)', async (t) => {
  const s = connect({ host: VIP_BULK, port: PORT, allowHalfOpen: true });
  const done = collect(s);
  const hash = createHash('sha256');
  // Small writes, one per turn of the event loop (the proxy runs in this process), so the proxy reads
  // small chunks; 8 MB is more than the proxy-to-upstream socket buffers hold, so once they are full
  // its writes go pending and later reads queue behind them.
  for (let i = 0; i < 8000; i++) {
    const chunk = randomBytes(1000);
    hash.update(chunk);
    s.write(chunk);
    await new Promise((r) => setImmediate(r));
  }
  s.end();
  // The proxy stalls for good (its upstream reads nothing): wait until the client's queue stops moving.
  let last = -1;
  await waitFor(() => {
    const stalled = bulkSocket !== undefined && s.writableLength === last;
    last = s.writableLength;
    return stalled;
  }, 10_000, 'the proxy to stop reading');
  bulkSocket?.resume();
  const { data } = await done;
  t.equal(data, hash.digest('hex'), 'the upstream received exactly what was sent');
});
