import t from 'tap';
import { startServer, waitFor } from './helpers.js';
import { meshContent } from './fake-view.js';

const poll = (url: string, version: string, wait: number, signal?: AbortSignal) =>
  fetch(`${url}?wait=${wait}`, { headers: { 'if-none-match': `"${version}"` }, ...(signal ? { signal } : {}) });

t.test('a poll of the current version ends in 304 with the ETag after the wait', async (t) => {
  const { view, url, server } = await startServer(t);
  const version = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const pending = poll(`${url}/v1/mesh/shop/web`, version, 0.05);
  await waitFor(() => server.hub.size === 1, 'the poll to be held');
  const res = await pending;
  t.equal(res.status, 304);
  t.equal(res.headers.get('etag'), `"${version}"`);
  t.equal(server.hub.size, 0, 'the waiter is gone');
});

t.test('a change wakes every waiter of that key at once, and not the waiters of other keys', async (t) => {
  const { view, url, server } = await startServer(t);
  const v1 = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const other = view.setMesh('shop', 'api', meshContent(['127.0.1.21']));
  const spec = { base_ports: [], base_services: [], base_normal: { options: { LOG_LEVEL: 'info' } } };
  const resVersion = view.setResources('shop', 'web', 'net-governance', spec);

  const abortOthers = new AbortController();
  const webPolls = Array.from({ length: 50 }, () => poll(`${url}/v1/mesh/shop/web`, v1, 30));
  const otherPoll = poll(`${url}/v1/mesh/shop/api`, other, 30, abortOthers.signal).catch((err: unknown) => err);
  const resourcePoll = poll(`${url}/v1/resources/shop/web/net-governance`, resVersion, 30, abortOthers.signal).catch((err: unknown) => err);
  await waitFor(() => server.hub.size === 52, '52 held polls');
  t.equal(server.hub.keys, 3);

  view.lookups.clear();
  const v2 = view.setMesh('shop', 'web', meshContent(['127.0.1.11', '127.0.1.12']));
  const answers = await Promise.all(webPolls);
  t.ok(answers.every((r) => r.status === 200), 'all 50 got 200');
  t.ok(answers.every((r) => r.headers.get('etag') === `"${v2}"`), 'all carry the new ETag');
  const bodies = (await Promise.all(answers.map((r) => r.json()))) as { version: string }[];
  t.ok(bodies.every((b) => b.version === v2));
  t.equal(view.lookups.get('mesh:shop/web'), 1, 'the changed key was looked up once for 50 waiters');
  t.equal(view.lookups.get('mesh:shop/api'), 1, 'the other key was re-checked once');
  t.equal(server.hub.size, 2, 'waiters of other keys are still held');

  view.touch();
  t.equal(server.hub.size, 2, 'a change that leaves their versions alone wakes nobody');
  abortOthers.abort();
  await Promise.all([otherPoll, resourcePoll]);
  await waitFor(() => server.hub.size === 0, 'aborted polls to be cleaned up');
});

t.test('a waiter whose document disappears gets the JSON 404', async (t) => {
  const { view, url, server } = await startServer(t);
  const version = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const pending = poll(`${url}/v1/mesh/shop/web`, version, 30);
  await waitFor(() => server.hub.size === 1, 'the poll to be held');
  view.deleteMesh('shop', 'web');
  const res = await pending;
  t.equal(res.status, 404);
  t.match(await res.json(), { code: 'DISC_ERR_NOT_FOUND', reason: /no Service web/ });
});

t.test('a client that disconnects is cleaned up', async (t) => {
  const { view, url, server } = await startServer(t);
  const version = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const abort = new AbortController();
  const pending = poll(`${url}/v1/mesh/shop/web`, version, 30, abort.signal).catch((err: unknown) => err);
  await waitFor(() => server.hub.size === 1, 'the poll to be held');
  abort.abort();
  t.match(await pending, { name: 'AbortError' });
  await waitFor(() => server.hub.size === 0 && server.hub.keys === 0, 'the waiter to be removed');
});

t.test('wait is capped by maxWaitSeconds', async (t) => {
  const { view, url, server } = await startServer(t, { maxWaitSeconds: 0.05 });
  const version = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const res = await poll(`${url}/v1/mesh/shop/web`, version, 3600);
  t.equal(res.status, 304, 'a wait of an hour ended at the cap');
  t.equal(server.hub.size, 0);
});

t.test('close answers held polls with 304 instead of waiting them out', async (t) => {
  const { view, url, server } = await startServer(t);
  const version = view.setMesh('shop', 'web', meshContent(['127.0.1.11']));
  const pending = poll(`${url}/v1/mesh/shop/web`, version, 60);
  await waitFor(() => server.hub.size === 1, 'the poll to be held');
  await server.close();
  t.equal((await pending).status, 304);
  t.equal(view.listenerCount, 0, 'the hub stopped listening to the view');
});
