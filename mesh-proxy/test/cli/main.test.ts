import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { runCli } from '../../src/cli/main.js';
import { FakeDiscover } from '../helpers/fake-discover.js';
import { endpoint, meshDoc, NS, outbound, SVC } from '../helpers/mesh-doc.js';
import { freePort, httpRequest, startUpstream, waitFor } from '../helpers/net.js';

// Listeners of this file live on 127.77.5.x.
const fixture = fileURLToPath(new URL('./fixtures/run-cli.ts', import.meta.url));

t.test('usage errors and --help', async (t) => {
  let out = '';
  let err = '';
  const io = {
    stdout: new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) }),
    stderr: new Writable({ write: (c: Buffer, _e, cb) => ((err += c.toString()), cb()) }),
  };
  t.equal(await runCli('proxy', ['--namespace', NS], {}, io), 2, 'missing --config-url');
  t.match(err, /--config-url is required/);
  t.equal(await runCli('proxy', ['--config-url', 'http://127.0.0.1:1', '--bogus'], {}, io), 2, 'unknown flag');
  t.match(err, /--bogus/);
  t.equal(await runCli('proxy', ['--config-url', 'http://127.0.0.1:1'], {}, io), 1, 'no namespace/service: fails to start');
  t.match(out, /namespace/);
  t.equal(await runCli('proxy', ['--help'], {}, io), 0);
  t.match(out, /Usage: meshplug proxy --config-url URL/);
});

t.test('SIGTERM drains: the in-flight request finishes, then the process exits 0', async (t) => {
  const held: (() => void)[] = [];
  const slow = await startUpstream((req, res) => {
    req.resume();
    held.push(() => res.end('finished'));
  });
  t.teardown(() => slow.close());
  const discover = await new FakeDiscover(meshDoc('v1', { outbound: [outbound('127.77.5.1', 8080, [endpoint('127.0.0.1', slow.port)])] })).start();
  t.teardown(() => discover.close());
  const adminPort = await freePort('127.77.5.2');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fixture, 'proxy', '--config-url', discover.url, '--admin', `127.77.5.2:${adminPort}`, '--drain-timeout', '5000'],
    { env: { ...process.env, NAMESPACE: NS, SERVICE_NAME: SVC, MESHPLUG_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const admin = `http://127.77.5.2:${adminPort}`;
  await waitFor(async () => (await fetch(`${admin}/ready`).catch(() => undefined))?.status === 200, 20_000, 'proxy ready');
  const inFlight = httpRequest('http://127.77.5.1:8080/');
  await waitFor(() => held.length === 1, 5000, 'request upstream');
  child.kill('SIGTERM');
  await waitFor(async () => (await fetch(`${admin}/ready`).catch(() => undefined))?.status === 503, 5000, 'draining');
  held.shift()!();
  const reply = await inFlight;
  t.equal(reply.status, 200);
  t.equal(reply.body.toString(), 'finished');
  t.equal(await exited, 0, 'exit code 0 after the drain');
});
