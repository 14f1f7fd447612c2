import t from 'tap';
import { runCli } from '../../src/cli/main.js';
import { startServer } from '../http/helpers.js';
import { fillShop } from '../http/sample-rows.js';
import { captureIo } from './capture-io.js';

t.test('routes prints an aligned table with one endpoint per line and problems', async (t) => {
  const { view, url } = await startServer(t);
  fillShop(view);
  const io = captureIo();
  t.equal(await runCli('routes', ['--server', url], io), 0);
  t.equal(
    io.out(),
    [
      'COMPONENT  DEPENDENCY    PORT  PROTO  VIP         POLICY         ENDPOINTS                             PROBLEM',
      'shop/web   shop/tomcat   8080  http   127.10.0.1  least_request  127.0.1.11:8080 ready',
      '                                                                 127.0.1.12:8080 ready',
      '                                                                 127.0.1.13:8080 terminating (unused)',
      'shop/web   cache/redis   6379  tcp    127.20.0.2  round_robin    (none)                                no ready endpoints',
      'shop/api   shop/missing  -     tcp    -           round_robin    (none)                                Service shop/missing does not exist',
      '',
    ].join('\n'),
  );
  t.equal(io.err(), '');
});

t.test('routes NAMESPACE/SERVICE filters; the server comes from MESHPLUG_SERVER too; -o json', async (t) => {
  const { view, url } = await startServer(t);
  fillShop(view);
  const io = captureIo({ MESHPLUG_SERVER: url });
  t.equal(await runCli('routes', ['shop/api'], io), 0);
  t.match(io.out(), /^COMPONENT .*\nshop\/api {3}shop\/missing/);
  t.notMatch(io.out(), /tomcat/);
  const json = captureIo({ MESHPLUG_SERVER: url });
  t.equal(await runCli('routes', ['-o', 'json', 'shop'], json), 0);
  t.equal((JSON.parse(json.out()) as unknown[]).length, 3);
  const none = captureIo({ MESHPLUG_SERVER: url });
  t.equal(await runCli('routes', ['other'], none), 0);
  t.equal(none.out(), 'No routes for other.\n');
});

t.test('an unreachable server is exit 1 with a message saying what to check', async (t) => {
  const { url, server } = await startServer(t);
  await server.close();
  const io = captureIo();
  t.equal(await runCli('routes', ['--server', url], io), 1);
  t.match(io.err(), /^meshplug routes: cannot reach discover-service: http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); is 'meshplug serve' running there\? Set --server or MESHPLUG_SERVER\n$/);
  t.equal(io.out(), '');
});

t.test('bad arguments are exit 2; --help prints every flag with its env variable', async (t) => {
  const bad = captureIo();
  t.equal(await runCli('routes', ['shop/web/extra'], bad), 2);
  t.match(bad.err(), /'shop\/web\/extra' is not NAMESPACE or NAMESPACE\/SERVICE/);
  const unknown = captureIo();
  t.equal(await runCli('routes', ['--nope'], unknown), 2);
  t.match(unknown.err(), /--nope/);
  const help = captureIo();
  t.equal(await runCli('routes', ['--help'], help), 0);
  t.match(help.out(), /Usage: meshplug routes/);
  t.match(help.out(), /--server VALUE .*\[env MESHPLUG_SERVER\]/);
  const notOurs = captureIo();
  t.equal(await runCli('dns', [], notOurs), 2);
  t.match(notOurs.err(), /not a discover-service command/);
});
