import t from 'tap';
import { endpoint, meshDoc, outbound } from '../helpers/mesh-doc.js';
import { freePort, httpRequest, startUpstream, waitFor } from '../helpers/net.js';
import { startHarness } from '../helpers/proxy-harness.js';

// Listeners of this file live on 127.77.2.x.
const PORT = 8080;
const VIP_RETRY = '127.77.2.1';
const VIP_NORETRY = '127.77.2.2';
const VIP_CONNFAIL = '127.77.2.3';
const VIP_EJECT = '127.77.2.4';
const VIP_MAXREQ = '127.77.2.5';
const VIP_MAXCONN = '127.77.2.6';

let now = 1_000_000;
const hits = { bad: 0, good: 0, flaky: 0 };
const bad = await startUpstream((req, res) => {
  hits.bad += 1;
  req.resume();
  req.on('end', () => {
    res.writeHead(503);
    res.end('bad');
  });
});
const good = await startUpstream((req, res) => {
  hits.good += 1;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => res.end(`good:${Buffer.concat(chunks).toString()}`));
});
const flaky = await startUpstream((req, res) => {
  hits.flaky += 1;
  req.resume();
  res.writeHead(500);
  res.end('flaky');
});
const held: (() => void)[] = [];
const holding = await startUpstream((req, res) => {
  req.resume();
  held.push(() => res.end('released'));
});
const deadPort = await freePort();

const retryOptions = { Retries: '2', RetryOn: '5xx,connect-failure', ConsecutiveErrors: '1000' };
const h = await startHarness(
  meshDoc('v1', {
    outbound: [
      outbound(VIP_RETRY, PORT, [endpoint('127.0.0.1', bad.port), endpoint('127.0.0.1', good.port)], { options: retryOptions }),
      outbound(VIP_NORETRY, PORT, [endpoint('127.0.0.1', bad.port)], { options: { ...retryOptions, Retries: '0' } }),
      outbound(VIP_CONNFAIL, PORT, [endpoint('127.0.0.1', deadPort), endpoint('127.0.0.1', good.port)], {
        options: { Retries: '1', RetryOn: 'connect-failure' },
      }),
      outbound(VIP_EJECT, PORT, [endpoint('127.0.0.1', flaky.port), endpoint('127.0.0.1', good.port)], {
        options: { Retries: '0', ConsecutiveErrors: '2', BaseEjectionTimeMS: '1000', MaxEjectionPercent: '50', HealthyPanicThreshold: '0' },
      }),
      outbound(VIP_MAXREQ, PORT, [endpoint('127.0.0.1', holding.port)], { options: { MaxRequests: '1' } }),
      outbound(VIP_MAXCONN, PORT, [endpoint('127.0.0.1', holding.port)], { options: { MaxConnections: '1', MaxPendingRequests: '1' } }),
    ],
  }),
  { now: () => now, retryBufferBytes: 1024 },
);
t.teardown(async () => {
  await h.close();
  for (const u of [bad, good, flaky, holding]) await u.close();
});

const reset = (): void => {
  hits.bad = 0;
  hits.good = 0;
  hits.flaky = 0;
};

t.test('an idempotent request is retried on 5xx, on another endpoint', async (t) => {
  reset();
  for (let i = 0; i < 4; i++) {
    const reply = await httpRequest(`http://${VIP_RETRY}:${PORT}/`);
    t.equal(reply.status, 200, `request ${i} answered by the good endpoint`);
  }
  t.ok(hits.bad >= 1, 'the failing endpoint was tried and its 503 retried');
  t.equal(hits.good, 4);
});

t.test('no retry without Retries, for a POST after a 5xx, or for a streamed body', async (t) => {
  reset();
  t.equal((await httpRequest(`http://${VIP_NORETRY}:${PORT}/`)).status, 503, 'Retries: 0 passes the 503 on');
  t.equal(hits.bad, 1);
  reset();
  let posts503 = 0;
  for (let i = 0; i < 4; i++) {
    const reply = await httpRequest(`http://${VIP_RETRY}:${PORT}/`, { method: 'POST', body: 'x' });
    if (reply.status === 503) posts503 += 1;
  }
  t.equal(posts503, hits.bad, 'every POST that reached the failing endpoint got its 503: the endpoint may have acted on it');
  t.ok(posts503 >= 1);
  reset();
  let puts503 = 0;
  for (let i = 0; i < 4; i++) {
    // Over retryBufferBytes (1 KiB here): streamed, so it cannot be replayed.
    const reply = await httpRequest(`http://${VIP_RETRY}:${PORT}/`, { method: 'PUT', body: Buffer.alloc(4096, 1) });
    if (reply.status === 503) puts503 += 1;
  }
  t.equal(puts503, hits.bad, 'a streamed PUT body is not retried');
});

t.test('a POST is retried after a connect failure, with its buffered body', async (t) => {
  reset();
  for (let i = 0; i < 4; i++) {
    const reply = await httpRequest(`http://${VIP_CONNFAIL}:${PORT}/`, { method: 'POST', body: `n${i}` });
    t.equal(reply.status, 200);
    t.equal(reply.body.toString(), `good:n${i}`, 'the body reached the endpoint on the retry');
  }
});

t.test('outlier ejection after ConsecutiveErrors, return after BaseEjectionTimeMS', async (t) => {
  reset();
  while (hits.flaky < 2) await httpRequest(`http://${VIP_EJECT}:${PORT}/`);
  const clusters = (await (await fetch(`${h.admin}/clusters`)).json()) as { clusters: { name: string; endpoints: { port: number; health: string }[] }[] };
  const c = clusters.clusters.find((x) => x.name.includes('127-77-2-4'))!;
  t.equal(c.endpoints.find((e) => e.port === flaky.port)!.health, 'ejected', '/clusters shows the ejection');
  reset();
  for (let i = 0; i < 6; i++) t.equal((await httpRequest(`http://${VIP_EJECT}:${PORT}/`)).status, 200);
  t.equal(hits.flaky, 0, 'the ejected endpoint gets no traffic');
  now += 1001;
  for (let i = 0; i < 6; i++) await httpRequest(`http://${VIP_EJECT}:${PORT}/`);
  t.ok(hits.flaky > 0, 'back in rotation after the base ejection time');
  const stats = await (await fetch(`${h.admin}/stats`)).text();
  // Back in rotation it failed twice more and was ejected a second time.
  t.match(stats, /meshplug_proxy_ejections_total\{cluster="shop\/dep-127-77-2-4:8080"\} 2/);
});

t.test('circuit breakers: MaxRequests and MaxConnections+MaxPendingRequests overflow with 503', async (t) => {
  const first = httpRequest(`http://${VIP_MAXREQ}:${PORT}/`);
  await waitFor(() => held.length === 1, 5000, 'first request upstream');
  const over = await httpRequest(`http://${VIP_MAXREQ}:${PORT}/`);
  t.equal(over.status, 503);
  t.equal(over.headers['x-meshplug-error'], 'MESH_ERR_OVERFLOW');
  held.shift()!();
  t.equal((await first).status, 200, 'the admitted request completes');

  const active = httpRequest(`http://${VIP_MAXCONN}:${PORT}/`);
  await waitFor(() => held.length === 1, 5000, 'active request upstream');
  const pending = httpRequest(`http://${VIP_MAXCONN}:${PORT}/`);
  await waitFor(async () => {
    const body = (await (await fetch(`${h.admin}/clusters`)).json()) as { clusters: { name: string; circuitBreaker: { active: { pending: number } } }[] };
    return body.clusters.find((c) => c.name.includes('127-77-2-6'))!.circuitBreaker.active.pending === 1;
  }, 5000, 'a pending request');
  const overflow = await httpRequest(`http://${VIP_MAXCONN}:${PORT}/`);
  t.equal(overflow.status, 503, 'a third request finds the pending queue full');
  t.equal(overflow.headers['x-meshplug-error'], 'MESH_ERR_OVERFLOW');
  held.shift()!();
  t.equal((await active).status, 200);
  await waitFor(() => held.length === 1, 5000, 'the pending request gets the connection');
  held.shift()!();
  t.equal((await pending).status, 200, 'the pending request is served once a connection frees up');
});
