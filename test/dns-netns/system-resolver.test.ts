import t from 'tap';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sampleDocument, sampleTable } from '../../dns-shim/test/helpers/tables.js';

/**
 * The system resolver against dns-shim: a network namespace whose
 * /etc/netns/<name>/resolv.conf points at the shim on 127.0.0.1:53 with the
 * pod search list, queried through glibc (getent) and Node's dns.lookup.
 */
const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;

const reasonToSkip = await (async (): Promise<string | false> => {
  if (process.getuid?.() !== 0) return 'needs root for ip netns';
  try {
    await run('ip', ['-V']);
  } catch {
    return 'iproute2 (ip) is not installed';
  }
  return false;
})();

/** Runs a command inside the namespace; never rejects (exit code and output are returned). */
async function inNs(ns: string, cmd: string[], timeoutMs = 15_000): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('ip', ['netns', 'exec', ns, ...cmd], { timeout: timeoutMs });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Resolves once `child` prints a line matching `pattern` (bounded). */
function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output: ${seen.slice(-2000)}`)), timeoutMs);
    const onData = (d: Buffer): void => {
      seen += d.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; output: ${seen.slice(-2000)}`));
    });
  });
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

t.test('getent and dns.lookup in a namespace resolve dependencies through dns-shim', { skip: reasonToSkip }, async (t) => {
  const ns = `mp-dns-${randomBytes(4).toString('hex')}`;
  const etcDir = join('/etc/netns', ns);
  const stateDir = await mkdtemp(join(tmpdir(), 'mp-dns-state-'));
  const children: ChildProcess[] = [];
  t.teardown(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await run('ip', ['netns', 'del', ns]).catch(() => undefined);
    await rm(etcDir, { recursive: true, force: true });
    await rm(stateDir, { recursive: true, force: true });
  });

  await run('ip', ['netns', 'add', ns]);
  await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  await mkdir(etcDir, { recursive: true });
  await writeFile(
    join(etcDir, 'resolv.conf'),
    'nameserver 127.0.0.1\nsearch shop.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5 timeout:2 attempts:2\n',
  );
  // mesh-proxy's saved document: dns-shim starts from it before discover-service answers.
  await writeFile(join(stateDir, 'mesh.json'), JSON.stringify(sampleDocument('saved')));

  const spawnInNs = (args: string[]): ChildProcess => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    return child;
  };
  const fixtures = spawnInNs(['test/dns-netns/netns-fixtures.ts']);
  await waitForLine(fixtures, /^ready$/m);
  const shim = spawnInNs([
    'test/dns-netns/run-dns-shim.ts',
    '--config-url', 'http://127.0.0.1:6100',
    '--namespace', 'shop',
    '--service', 'web',
    '--listen', '127.0.0.1:53',
    '--upstream', '127.0.0.53:53',
    '--state-dir', stateDir,
    '--metrics', '127.0.0.1:15053',
    '--proxy-id', 'web-0',
  ]);
  await waitForLine(shim, /dns-shim listening/);

  await t.test('glibc getent hosts: short and qualified names get the VIP', async (t) => {
    const short = await inNs(ns, ['getent', 'hosts', 'tomcat']);
    t.equal(short.code, 0, short.stderr);
    t.match(short.stdout, /^127\.1\.0\.10\s+tomcat\.shop\.svc\.cluster\.local/);
    t.match((await inNs(ns, ['getent', 'hosts', 'tomcat.shop'])).stdout, /^127\.1\.0\.10\s/);
    // ahosts, not ahostsv4: AI_ADDRCONFIG finds no IPv4 address besides loopback in this namespace.
    t.match((await inNs(ns, ['getent', 'ahosts', 'redis.cache'])).stdout, /^127\.1\.0\.11\s+STREAM redis\.cache\.svc\.cluster\.local/);
    t.match((await inNs(ns, ['getent', 'hosts', 'TOMCAT.shop.svc.cluster.local.'])).stdout, /^127\.1\.0\.10\s/);
  });

  await t.test("Node's dns.lookup gets the VIP (IPv4, since AAAA is an empty NOERROR)", async (t) => {
    const script =
      "require('dns').lookup('tomcat', { all: true }, (e, a) => { process.stdout.write(JSON.stringify(e ? { code: e.code } : a)); })";
    const r = await inNs(ns, [process.execPath, '-e', script]);
    t.same(JSON.parse(r.stdout), [{ address: '127.1.0.10', family: 4 }]);
  });

  await t.test('names outside the mesh go to the upstream; missing names fail', async (t) => {
    t.match((await inNs(ns, ['getent', 'hosts', 'www.example.test'])).stdout, /^198\.18\.0\.1\s/);
    t.equal((await inNs(ns, ['getent', 'hosts', 'nothing-here'])).code, 2);
  });

  await t.test('a new table from discover-service is picked up', async (t) => {
    const doc = sampleDocument('v2', sampleTable({ records: [{ names: ['mysql', 'mysql.shop', 'mysql.shop.svc', 'mysql.shop.svc.cluster.local'], service: 'shop/mysql', address: '127.1.0.12', ports: [] }] }));
    fixtures.stdin?.write(`${JSON.stringify({ version: 'v2', doc })}\n`);
    t.ok(await until(async () => /^127\.1\.0\.12\s/.test((await inNs(ns, ['getent', 'hosts', 'mysql'])).stdout)));
    const ready = await inNs(ns, ['curl', '-s', 'http://127.0.0.1:15053/ready']);
    t.match(JSON.parse(ready.stdout || '{}'), { ready: true, version: 'v2' });
  });
});
