import { spawn } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
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
  t.equal(await runCli('proxy', ['--config-url', 'http://127.0.0.1:1', '--dns-upstream', '10.96.0.10:53'], {}, io), 2, 'DNS flags without --dns-listen');
  t.match(err, /need --dns-listen/);
  t.equal(await runCli('proxy', ['--config-url', 'http://127.0.0.1:1', '--namespace', NS, '--service', SVC, '--dns-listen', 'nowhere'], {}, io), 1, 'a bad DNS address fails start');
  t.match(out, /dns\.listen/);
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

t.test('--dns-listen (here from MESHPLUG_DNS_* env, as injected): one process serves the pod DNS too', async (t) => {
  const doc = meshDoc('v1', { outbound: [outbound('127.77.5.3', 8080, [endpoint('127.0.0.1', 9)])] });
  doc.dns.records = [{ names: ['tomcat'], service: `${NS}/tomcat`, address: '127.77.5.3', ports: [{ name: 'http', port: 8080, protocol: 'http' }] }];
  const discover = await new FakeDiscover(doc).start();
  t.teardown(() => discover.close());
  const adminPort = await freePort('127.77.5.4');
  const dnsPort = await freePort('127.77.5.4');
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, 'proxy', '--config-url', discover.url, '--admin', `127.77.5.4:${adminPort}`], {
    env: {
      ...process.env,
      NAMESPACE: NS,
      SERVICE_NAME: SVC,
      MESHPLUG_LOG_LEVEL: 'warn',
      MESHPLUG_DNS_LISTEN: `127.77.5.4:${dnsPort}`,
      MESHPLUG_DNS_UPSTREAM: '127.0.0.1:1,127.0.0.1:2',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const admin = `http://127.77.5.4:${adminPort}`;
  await waitFor(async () => (await fetch(`${admin}/ready`).catch(() => undefined))?.status === 200, 20_000, 'proxy ready');
  const config = (await (await fetch(`${admin}/config`)).json()) as { dns: { listen: string; version: string; upstreams: string[] } };
  t.same(config.dns.listen, `127.77.5.4:${dnsPort}`);
  t.equal(config.dns.version, 'v1');
  t.same(config.dns.upstreams, ['127.0.0.1:1', '127.0.0.1:2'], 'the env list, comma-separated');
  const resolver = new Resolver({ timeout: 1000, tries: 2 });
  resolver.setServers([`127.77.5.4:${dnsPort}`]);
  t.same(await resolver.resolve4('tomcat'), ['127.77.5.3']);
  t.equal(discover.polls.length > 0 && discover.polls.every((p) => p['x-meshplug-proxy-kind'] === 'mesh-proxy'), true, 'one follower');
  child.kill('SIGTERM');
  t.equal(await exited, 0);
});
