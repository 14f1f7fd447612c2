import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Test } from 'tap';
import type { DiscoverTransport } from '../../src/client/discover-transport.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: Socket;
}

/** A server whose answer each test sets, recording what arrived and on which connection. */
async function server(t: Test, answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const srv: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, socket: req.socket });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    srv.closeAllConnections();
    return new Promise<void>((resolve) => srv.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, seen };
}

/**
 * What every {@link DiscoverTransport} must do, run against each implementation: the exchange as
 * sent and received, any status resolving, keep-alive reuse, and rejections for aborts, refused
 * connections and bodies cut short.
 */
export function transportConformance(t: Test, make: () => DiscoverTransport): void {
  t.test('GET: headers out; status, headers and body back', async (t) => {
    const s = await server(t, (_req, res) => {
      res.writeHead(200, { etag: '"v7"', 'content-type': 'application/json' });
      // A two-byte character split across writes must come back whole.
      const bytes = Buffer.from('{"name":"é"}');
      res.write(bytes.subarray(0, 10));
      setImmediate(() => res.end(bytes.subarray(10)));
    });
    const r = await make().send({ method: 'GET', url: new URL(`${s.url}/v1/mesh/a/b?wait=5`), headers: { 'x-meshplug-proxy-id': 'p1' }, signal: new AbortController().signal });
    t.equal(r.status, 200);
    t.equal(r.headers.etag, '"v7"');
    t.equal(r.text, '{"name":"é"}');
    t.equal(s.seen[0]?.method, 'GET');
    t.equal(s.seen[0]?.url, '/v1/mesh/a/b?wait=5');
    t.equal(s.seen[0]?.headers['x-meshplug-proxy-id'], 'p1');
  });

  t.test('POST: the body with its length; an error status resolves', async (t) => {
    const s = await server(t, (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"code":"DISC_ERR_NOT_FOUND"}');
    });
    const body = JSON.stringify({ total: 3, note: 'ü' });
    const r = await make().send({ method: 'POST', url: new URL(`${s.url}/v1/proxies/report`), headers: { 'content-type': 'application/json' }, body, signal: new AbortController().signal });
    t.equal(r.status, 404);
    t.equal(r.text, '{"code":"DISC_ERR_NOT_FOUND"}');
    t.equal(s.seen[0]?.method, 'POST');
    t.equal(s.seen[0]?.body, body);
    t.equal(s.seen[0]?.headers['content-length'], String(Buffer.byteLength(body)));
  });

  t.test('keep-alive: consecutive requests reuse connections', async (t) => {
    const s = await server(t, (_req, res) => res.end('ok'));
    const transport = make();
    for (let i = 0; i < 4; i++) {
      t.equal((await transport.send({ method: 'GET', url: new URL(`${s.url}/x`), headers: {}, signal: new AbortController().signal })).text, 'ok');
    }
    // undici may open a second socket while the first one is still finishing its previous answer.
    t.ok(new Set(s.seen.map((r) => r.socket)).size <= 2, 'at most two connections for four requests');
  });

  t.test('an abort while the answer is held rejects and closes the connection', async (t) => {
    let held: ServerResponse | undefined;
    const s = await server(t, (_req, res) => (held = res));
    const ac = new AbortController();
    const pending = make().send({ method: 'GET', url: new URL(`${s.url}/x`), headers: {}, signal: ac.signal });
    while (held === undefined) await new Promise((resolve) => setImmediate(resolve));
    const closed = new Promise((resolve) => held!.on('close', resolve));
    ac.abort();
    await t.rejects(pending);
    await closed;
    t.pass('server side closed');
  });

  t.test('refused connection rejects with ECONNREFUSED', async (t) => {
    const s = await server(t, (_req, res) => res.end());
    const port = new URL(s.url).port;
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    t.not(String(closedPort), port);
    const err = await make()
      .send({ method: 'GET', url: new URL(`http://127.0.0.1:${closedPort}/x`), headers: {}, signal: new AbortController().signal })
      .then(() => undefined, (e: unknown) => e as { code?: string; message?: string });
    t.match(`${err?.code} ${err?.message}`, /ECONNREFUSED/);
  });

  t.test('a body cut short rejects', async (t) => {
    const s = await server(t, (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('only part of it', () => res.socket?.destroy());
    });
    await t.rejects(make().send({ method: 'GET', url: new URL(`${s.url}/x`), headers: {}, signal: new AbortController().signal }));
  });
}
