import { Agent, createServer as createHttpServer, request } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { MeshProxy, StateFile } from '../src/index.js';
import { FakeDiscover } from './helpers/fake-discover.js';
import { endpoint, inbound, meshDoc, NS, outbound, SVC } from './helpers/mesh-doc.js';
import { freePort, httpRequest, startTcpUpstream, startUpstream, waitFor } from './helpers/net.js';
import { startHarness } from './helpers/proxy-harness.js';

// Listeners of this file live on 127.77.4.x.
const PORT = 8080;

const named = (name: string) =>
  startUpstream((req, res) => {
    req.resume();
    req.on('end', () => res.end(name));
  });
const upA = await named('A');
const upB = await named('B');
const echo = await startTcpUpstream((s) => s.pipe(s));
t.teardown(async () => {
  await upA.close();
  await upB.close();
  await echo.close();
});

async function json<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

t.test('applies new versions by difference', async (t) => {
  const tcp = { mode: 'tcp' as const, protocol: 'tcp' };
  const h = await startHarness(
    meshDoc('v1', {
      outbound: [outbound('127.77.4.1', PORT, [endpoint('127.0.0.1', echo.port)], tcp), outbound('127.77.4.2', PORT, [endpoint('127.0.0.1', upA.port)])],
    }),
  );
  t.teardown(() => h.close());
  t.equal(h.discover.polls[0]?.['x-meshplug-proxy-id'], 'test-proxy');
  t.equal(h.discover.polls[0]?.['x-meshplug-proxy-kind'], 'mesh-proxy');

  const tunnel = connect({ host: '127.77.4.1', port: PORT });
  tunnel.write('one');
  await waitFor(() => tunnel.bytesRead === 3, 5000, 'echo before the change');
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  const viaAgent = (): Promise<{ body: string; reused: boolean }> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.77.4.2', port: PORT, agent }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ body, reused: req.reusedSocket }));
      });
      req.on('error', reject);
      req.end();
    });
  t.equal((await viaAgent()).body, 'A');

  await h.publish(
    meshDoc('v2', {
      outbound: [outbound('127.77.4.2', PORT, [endpoint('127.0.0.1', upB.port)]), outbound('127.77.4.3', PORT, [endpoint('127.0.0.1', upA.port)])],
    }),
  );
  const next = await viaAgent();
  t.equal(next.body, 'B', 'the endpoint change moves the next request');
  t.ok(next.reused, 'on the same downstream keep-alive connection');
  t.equal((await httpRequest(`http://127.77.4.3:${PORT}/`)).body.toString(), 'A', 'the added listener serves');
  const refused = await new Promise<string>((resolve) => {
    const s = connect({ host: '127.77.4.1', port: PORT });
    s.on('connect', () => resolve('connected'));
    s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
  t.equal(refused, 'ECONNREFUSED', 'the removed listener accepts no new connection');
  tunnel.write('two');
  await waitFor(() => tunnel.bytesRead === 6, 5000, 'echo after the change');
  t.pass('the connection accepted by the removed listener keeps working');
  tunnel.destroy();
  await waitFor(() => h.discover.lastAppliedVersion() === 'v2', 5000, 'applied version reported');
  t.pass('the applied version is reported to discover-service');
});

t.test('saves the applied document and starts from it while discover-service is down', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-proxy-state-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  // With --bind, the app shares the sidecar's address (the local demo's pods).
  const app = await startUpstream((req, res) => res.end('app'), '127.77.4.4');
  t.teardown(() => app.close());
  const doc = meshDoc('v7', { inbound: [inbound(app.port, 15001)], outbound: [outbound('127.77.4.4', PORT, [endpoint('127.0.0.1', upB.port)])] });
  const first = await startHarness(doc, { stateDir: dir, bindAddress: '127.77.4.4' });
  await waitFor(async () => (await readFile(join(dir, 'mesh.json'), 'utf8').catch(() => '')).includes('"v7"'), 5000, 'state file');
  await first.close();

  const discoverPort = await freePort();
  const proxy = new MeshProxy({
    configUrl: `http://127.0.0.1:${discoverPort}`,
    namespace: NS,
    service: SVC,
    adminAddress: '127.0.0.1:0',
    bindAddress: '127.77.4.4',
    stateDir: dir,
    discoverMinBackoffMs: 50,
    discoverMaxBackoffMs: 100,
  });
  await proxy.start();
  t.teardown(() => proxy.stop());
  t.ok(await proxy.whenApplied('v7'), 'the saved version is applied');
  const { body } = await json<{ source: string; version: string; discoverError: string | null }>(`http://127.0.0.1:${proxy.adminAddress.port}/config`);
  t.equal(body.source, 'state-dir', '/config says where the configuration came from');
  t.match(body.discoverError, /API_ERR_DISCOVER_UNREACHABLE/);
  t.equal((await httpRequest(`http://127.77.4.4:${PORT}/`)).body.toString(), 'B', 'outbound serves from the saved document');
  t.equal((await httpRequest(`http://127.77.4.4:15001/`)).body.toString(), 'app', 'inbound <bind>:<outer port> -> <bind>:<port>');

  const back = await new FakeDiscover(meshDoc('v8', { outbound: [outbound('127.77.4.4', PORT, [endpoint('127.0.0.1', upA.port)])] })).start(discoverPort);
  t.teardown(() => back.close());
  t.ok(await proxy.whenApplied('v8'), 'follows discover-service once it is back');
  t.equal(proxy.config().source, 'discover');
  t.equal((await httpRequest(`http://127.77.4.4:${PORT}/`)).body.toString(), 'A');
});

t.test('a discover-service that accepts but never answers: the saved document after the startup grace', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-proxy-state-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await new StateFile(dir).write(meshDoc('v9', { outbound: [outbound('127.77.4.8', PORT, [endpoint('127.0.0.1', upB.port)])] }));
  const silent = createHttpServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    silent.closeAllConnections();
    silent.close();
  });
  const proxy = new MeshProxy({
    configUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
    namespace: NS,
    service: SVC,
    adminAddress: '127.0.0.1:0',
    stateDir: dir,
    startupGraceMs: 100,
  });
  await proxy.start();
  t.teardown(() => proxy.stop());
  t.ok(await proxy.whenApplied('v9'));
  t.equal(proxy.config().source, 'state-dir');
  t.equal((await httpRequest(`http://127.77.4.8:${PORT}/`)).body.toString(), 'B');
});

t.test('/ready: not before a configuration, not while a listener cannot bind, then ready', async (t) => {
  const idle = new MeshProxy({ configUrl: `http://127.0.0.1:${await freePort()}`, namespace: NS, service: SVC, adminAddress: '127.0.0.1:0' });
  await idle.start();
  const none = await json<{ ready: boolean; reason: string }>(`http://127.0.0.1:${idle.adminAddress.port}/ready`);
  await idle.stop();
  t.equal(none.status, 503);
  t.match(none.body.reason, /no configuration/);

  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(PORT, '127.77.4.9', r));
  const h = await startHarness(meshDoc('v1', { outbound: [outbound('127.77.4.9', PORT, [endpoint('127.0.0.1', upA.port)])] }), {
    bindRetryMinMs: 20,
    bindRetryMaxMs: 50,
  });
  t.teardown(() => h.close());
  const blocked = await json<{ reason: string }>(`${h.admin}/ready`);
  t.equal(blocked.status, 503, 'not ready while its listener is not bound');
  t.match(blocked.body.reason, /127\.77\.4\.9:8080 is (retrying|binding)/);
  const config = await json<{ listeners: { lastError?: string }[] }>(`${h.admin}/config`);
  t.match(config.body.listeners[0]?.lastError, /EADDRINUSE/, '/config shows the bind failure');
  await new Promise<void>((r) => blocker.close(() => r()));
  await waitFor(async () => (await fetch(`${h.admin}/ready`)).status === 200, 5000, 'ready after the port freed up');
  t.equal((await httpRequest(`http://127.77.4.9:${PORT}/`)).body.toString(), 'A', 'and the retried listener serves');
});

t.test('POST /drain: in-flight requests finish with connection: close; new ones are refused', async (t) => {
  const held: (() => void)[] = [];
  const slow = await startUpstream((req, res) => {
    req.resume();
    held.push(() => res.end('late'));
  });
  t.teardown(() => slow.close());
  const h = await startHarness(meshDoc('v1', { outbound: [outbound('127.77.4.5', PORT, [endpoint('127.0.0.1', slow.port)])] }), {
    adminAddress: '127.77.4.6:0',
    drainTimeoutMs: 60_000,
    drainIdleGraceMs: 200,
  });
  t.teardown(() => h.close());
  const admin = `http://127.77.4.6:${h.proxy.adminAddress.port}`;

  const other = await httpRequest(`${admin}/drain`, { method: 'POST', localAddress: '127.77.4.7' });
  t.equal(other.status, 403, 'a caller from another address may not drain');
  t.equal(JSON.parse(other.body.toString()).code, 'MESH_ERR_FORBIDDEN');

  const agent = new Agent({ keepAlive: true });
  t.teardown(() => agent.destroy());
  // One keep-alive connection that is idle when the drain starts.
  const idleClosed = new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.77.4.5', port: PORT, agent }, (res) => {
      res.resume();
      res.on('end', () => req.socket?.once('close', () => resolve()));
    });
    req.on('error', reject);
    req.end();
  });
  await waitFor(() => held.length === 1, 5000, 'first request upstream');
  held.shift()!();
  await waitFor(() => Object.keys(agent.freeSockets).length === 1, 5000, 'an idle keep-alive connection');
  const busy = new Agent({ keepAlive: true });
  t.teardown(() => busy.destroy());
  const inFlight = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
    const req = request({ host: '127.77.4.5', port: PORT, agent: busy }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
    req.end();
  });
  await waitFor(() => held.length === 1, 5000, 'request upstream');
  const drain = await httpRequest(`${admin}/drain`, { method: 'POST', localAddress: '127.77.4.6' });
  t.equal(drain.status, 202, 'the admin address itself is local');
  t.equal((await fetch(`${admin}/ready`)).status, 503, 'not ready while draining');
  await idleClosed;
  t.pass('the idle keep-alive connection was closed after the idle grace (the drain deadline is a minute away)');
  held.shift()!();
  const answer = await inFlight;
  t.same(answer, { status: 200, connection: 'close', body: 'late' }, 'the in-flight request finished, told to close');
  await h.proxy.drain();
  const refused = await httpRequest(`http://127.77.4.5:${PORT}/`).then(
    () => 'served',
    (err: NodeJS.ErrnoException) => err.code,
  );
  t.equal(refused, 'ECONNREFUSED');
});
