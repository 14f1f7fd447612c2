import t from 'tap';
import { spawn } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { silentLogger, validateMeshDocument, validateResourceSpec, type MeshDocument, type ResourceSpec } from '@meshplug/plugin-api';
import { parseServeArgs, startServe } from '../../src/cli/serve-command.js';
import { runCli } from '../../src/cli/main.js';
import { startServer, waitFor } from '../http/helpers.js';
import { captureIo } from './capture-io.js';

const SHOP = fileURLToPath(new URL('../../../manifests/examples/shop.yaml', import.meta.url));
// The real executable over the built packages (`npm test` runs `tsc -b` first).
const MESHPLUG = fileURLToPath(new URL('../../../bin/meshplug.js', import.meta.url));

const INVALID_COMPONENT = `
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: component-tomcat
  namespace: shop
  labels: { mesh.io/component: tomcat }
data:
  component.yaml: |
    plugins:
      - name: net-governance
        version: ""
        enabled: true
`;

t.test('serve --source file: answers DISCOVER_URL in Rainbond shape, follows file edits, lists bad objects', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'shop.yaml');
  await copyFile(SHOP, file);
  const config = parseServeArgs(['--source', `file:${file}`, '--listen', '127.0.0.1:0', '--dns-upstream', '127.0.0.53:53'], {});
  if (config === undefined) throw new Error('no config');
  t.equal(config.host, '127.0.0.1');
  const running = await startServe(config, silentLogger());
  t.teardown(() => running.close());
  await running.ready;
  const { url } = running;
  t.equal((await fetch(`${url}/readyz`)).status, 200);

  const discoverUrl = `${url}/v1/resources/shop/web/net-governance`;
  const res = await fetch(discoverUrl);
  t.equal(res.status, 200);
  t.match(res.headers.get('etag'), /^"[A-Za-z0-9_-]+"$/);
  const spec = (await res.json()) as ResourceSpec;
  t.ok(validateResourceSpec(spec).ok, 'a valid ResourceSpec');
  t.match(spec.base_ports, [{ service_alias: 'web', service_id: '5b0e7c1e-0000-4000-8000-000000000001', port: 8080, protocol: 'http', options: { OPEN_LIMIT: 'YES' } }]);
  const listen = spec.base_ports[0]?.listen_port ?? 0;
  t.ok(listen >= 65301 && listen <= 65400, 'listen_port is an outer port');
  t.match(spec.base_services.find((s) => s.depend_service_alias === 'tomcat'), { service_alias: 'web', port: 8080, options: { LBPolicy: 'least_request', Weight: '50' } });
  t.ok(spec.base_services.some((s) => s.depend_service_alias === 'redis' && s.port === 6379));
  t.same(spec.base_normal, { options: { LOG_LEVEL: 'debug' } });

  const first = await fetch(`${url}/v1/mesh/shop/web`);
  const doc = (await first.json()) as MeshDocument;
  t.ok(validateMeshDocument(doc).ok, 'a valid MeshDocument');
  t.equal(doc.outbound.find((c) => c.service === 'tomcat')?.endpoints.length, 3);
  t.same(doc.dns.upstream, ['127.0.0.53:53']);

  // A long-poll waiter sees the edit: one tomcat endpoint removed from the file.
  const waiter = fetch(`${url}/v1/mesh/shop/web?wait=30`, { headers: { 'if-none-match': first.headers.get('etag') ?? '' } });
  await waitFor(() => running.server.hub.size === 1, 'the poll to be held');
  const text = await readFile(file, 'utf8');
  const edited = text.replace(/  - addresses: \[127\.0\.1\.13\][^\n]*\n[^\n]*\n[^\n]*\n/, '');
  t.not(edited, text, 'the test edited the file');
  await writeFile(file, edited);
  const changed = await waiter;
  t.equal(changed.status, 200);
  t.not(changed.headers.get('etag'), first.headers.get('etag'));
  const after = (await changed.json()) as MeshDocument;
  t.same(after.outbound.find((c) => c.service === 'tomcat')?.endpoints.map((e) => e.address), ['127.0.1.11', '127.0.1.12']);

  // An invalid component shows up in /v1/errors while the others keep being served.
  await writeFile(file, edited + INVALID_COMPONENT);
  let errors: { kind: string; name: string; path: string; reason: string }[] = [];
  for (let i = 0; i < 200 && errors.length === 0; i++) {
    errors = ((await (await fetch(`${url}/v1/errors`)).json()) as { items: typeof errors }).items;
    if (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  t.match(errors, [{ kind: 'component', name: 'component-tomcat', path: /plugins\[0\]\.version/ }]);
  t.equal((await fetch(discoverUrl)).status, 200, 'shop/web is still served');
  t.equal((await fetch(`${url}/v1/mesh/shop/web`)).status, 200);

  const io = captureIo();
  t.equal(await runCli('routes', ['--server', url, 'shop/web'], io), 0);
  t.match(io.out(), /shop\/web\s+shop\/tomcat\s+8080\s+http\s+127\.\S+\s+least_request\s+127\.0\.1\.11:8080 ready\n\s+127\.0\.1\.12:8080 ready\n/);
  t.match(io.out(), /shop\/web\s+cache\/redis\s+6379\s+tcp\s+127\.\S+\s+round_robin\s+127\.0\.1\.21:6379 ready/);
});

t.test('bad serve command lines are exit 2 with the reason', async (t) => {
  for (const [argv, reason] of [
    [[], /--source \(missing\): use file:PATH or kube/],
    [['--source', 'nfs:/x'], /--source nfs:\/x/],
    [['--source', 'kube', '--listen', 'nope'], /--listen 'nope'/],
    [['--source', 'kube', '--log-level', 'loud'], /--log-level loud/],
  ] as const) {
    const io = captureIo();
    t.equal(await runCli('serve', [...argv], io), 2, argv.join(' '));
    t.match(io.err(), reason);
  }
  const help = captureIo();
  t.equal(await runCli('serve', ['--help'], help), 0);
  t.match(help.out(), /--source VALUE .*\[env MESHPLUG_SOURCE\]/);
  t.match(help.out(), /--listen VALUE .*\(default: 0\.0\.0\.0:6100\)/);
});

t.test('a port in use is exit 1 naming the address', async (t) => {
  const { url } = await startServer(t);
  const io = captureIo();
  const listen = new URL(url).host;
  t.equal(await runCli('serve', ['--source', `file:${SHOP}`, '--listen', listen, '--log-level', 'silent'], io), 1);
  t.match(io.err(), new RegExp(`^meshplug serve: cannot listen: ${listen.replace(/\./g, '\\.')}: .*EADDRINUSE`));
});

/** Runs `meshplug serve` in a child process; resolves its exit code and JSON log lines. */
function serveProcess(
  args: string[],
  onLine: (line: Record<string, unknown>, lines: Record<string, unknown>[], kill: () => void) => void,
): Promise<{ code: number | null; lines: Record<string, unknown>[] }> {
  const child = spawn(process.execPath, [MESHPLUG, 'serve', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>;
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      onLine(line, lines, () => child.kill('SIGTERM'));
    }
  });
  return new Promise((resolve) => child.on('exit', (code) => {
    clearTimeout(guard);
    resolve({ code, lines });
  }));
}

t.test('the serve process logs JSON lines and exits 0 on SIGTERM', async (t) => {
  let healthy = 0;
  const { code, lines } = await serveProcess(['--source', `file:${SHOP}`, '--listen', '127.0.0.1:0'], (line, lines, kill) => {
    if (line.msg === 'source ready') {
      const url = lines.find((l) => l.msg === 'discover-service listening')?.url as string;
      void fetch(`${url}/healthz`).then((r) => {
        healthy = r.status;
        kill();
      });
    }
  });
  t.equal(healthy, 200);
  t.equal(code, 0);
  const messages = lines.map((l) => l.msg);
  const order = ['discover-service listening', 'source ready', 'shutting down'].map((m) => messages.indexOf(m));
  t.ok(order.every((at, i) => at >= 0 && (i === 0 || at > (order[i - 1] ?? 0))), `listening, ready, shutting down in order: ${messages.join(' | ')}`);
  t.ok(lines.every((l) => typeof l.level === 'number' && typeof l.time === 'number'), 'pino JSON lines');
});

t.test('a source that cannot start is exit 1 with the error logged', async (t) => {
  const { code, lines } = await serveProcess(['--source', 'file:/nonexistent/mesh.yaml', '--listen', '127.0.0.1:0'], () => undefined);
  t.equal(code, 1);
  t.match(lines.at(-1), { msg: 'source failed to start', err: { message: /cannot read \/nonexistent\/mesh\.yaml/ } });
});
