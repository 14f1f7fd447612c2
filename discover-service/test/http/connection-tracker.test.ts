import t from 'tap';
import { connect } from 'node:net';
import { startServer } from './helpers.js';

t.test('close drops connections that never sent a request instead of waiting for the client', async (t) => {
  const { url, server } = await startServer(t);
  const { port } = new URL(url);
  const idle = connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve) => idle.once('connect', () => resolve()));
  const closed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
  await server.close();
  await closed;
  t.pass('close() finished and the idle client socket was closed by the server');
});
