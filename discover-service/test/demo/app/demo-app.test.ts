import { connect } from 'node:net';
import t from 'tap';
import { startDemoApp } from '../../../src/demo/app/demo-app.js';
import { sendRequests } from '../../../src/demo/traffic/send-requests.js';

t.test('answers HTTP with its name; requests are tallied per backend', async (t) => {
  const app = await startDemoApp({ name: 'tomcat-7', host: '127.0.0.1', httpPort: 0 });
  t.teardown(() => app.close());
  const result = await sendRequests({ address: '127.0.0.1', port: app.http.port, host: 'tomcat:8080', path: '/', count: 5, timeoutMs: 5000 });
  t.equal(result.sent, 5);
  t.same([...result.statuses], [['200', 5]]);
  t.same([...result.backends], [['tomcat-7', 5]]);
  t.same(result.failures, []);
});

t.test('failures are counted and kept', async (t) => {
  const app = await startDemoApp({ name: 'gone', host: '127.0.0.1', httpPort: 0 });
  const port = app.http.port;
  await app.close();
  const result = await sendRequests({ address: '127.0.0.1', port, host: 'x', path: '/', count: 7, timeoutMs: 2000 });
  t.same([...result.statuses], [['error', 7]]);
  t.equal(result.failures.length, 5, 'the first five failures kept');
  t.match(result.failures[0], /ECONNREFUSED/);
});

t.test('echoes TCP', async (t) => {
  const app = await startDemoApp({ name: 'echo-0', host: '127.0.0.1', httpPort: 0, tcpPort: 0 });
  t.teardown(() => app.close());
  const port = app.tcp?.port as number;
  const echoed = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end('hello-mesh'));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
  t.equal(echoed, 'hello-mesh');
});
