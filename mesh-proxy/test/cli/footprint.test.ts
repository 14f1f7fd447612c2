import { spawn } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { FakeDiscover } from '../helpers/fake-discover.js';
import { endpoint, meshDoc, NS, outbound, SVC } from '../helpers/mesh-doc.js';
import { freePort, httpRequest, startUpstream, waitFor } from '../helpers/net.js';

// Listeners of this file live on 127.77.5.8.
const fixture = fileURLToPath(new URL('./fixtures/run-cli-packages.ts', import.meta.url));

t.test('the sidecar as injected (proxy, DNS, config follower, /stats) never loads undici', async (t) => {
  const upstream = await startUpstream((req, res) => {
    req.resume();
    res.end('hello');
  });
  t.teardown(() => upstream.close());
  const doc = meshDoc('v1', { outbound: [outbound('127.77.5.8', 8080, [endpoint('127.0.0.1', upstream.port)])] });
  doc.dns.records = [{ names: ['tomcat'], service: `${NS}/tomcat`, address: '127.77.5.8', ports: [{ name: 'http', port: 8080, protocol: 'http' }] }];
  const discover = await new FakeDiscover(doc).start();
  t.teardown(() => discover.close());
  const adminPort = await freePort('127.77.5.8');
  const dnsPort = await freePort('127.77.5.8');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fixture, 'proxy', '--config-url', discover.url, '--admin', `127.77.5.8:${adminPort}`, '--dns-listen', `127.77.5.8:${dnsPort}`],
    { env: { ...process.env, NAMESPACE: NS, SERVICE_NAME: SVC, MESHPLUG_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const admin = `http://127.77.5.8:${adminPort}`;
  await waitFor(async () => (await fetch(`${admin}/ready`).catch(() => undefined))?.status === 200, 20_000, 'proxy ready');
  for (let i = 0; i < 3; i++) t.equal((await httpRequest('http://127.77.5.8:8080/')).body.toString(), 'hello', 'forwarded');
  const resolver = new Resolver({ timeout: 1000, tries: 2 });
  resolver.setServers([`127.77.5.8:${dnsPort}`]);
  t.same(await resolver.resolve4('tomcat'), ['127.77.5.8']);
  t.equal((await fetch(`${admin}/stats`)).status, 200, 'metrics scraped');
  child.kill('SIGTERM');
  t.equal(await exited, 0);
  const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { packages?: string[] };
  t.ok(report.packages?.includes('pino'), 'the package list is read');
  t.notOk(report.packages?.includes('undici'), 'undici is not loaded');
});
