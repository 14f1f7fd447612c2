import { connect } from 'node:net';
import t from 'tap';
import { ChildGroup } from '../../discover-service/src/demo/process/child-group.js';
import { meshplugCommand } from '../../discover-service/src/demo/process/meshplug-command.js';

/*
 * `meshplug demo --headless` as a user runs it (node bin/meshplug.js, built first): every
 * request from web reaches tomcat by name, the routes table shows the three endpoints, and
 * the requests reach all three backends.
 */

const REQUESTS = 30;

t.test('meshplug demo --headless', async (t) => {
  const children = new ChildGroup();
  t.teardown(() => children.stopAll(10_000));
  const lines: string[] = [];
  const demo = children.start(
    meshplugCommand('demo', 'demo', ['--headless', '--listen', '127.0.0.1:0', '--requests', String(REQUESTS), '--ready-timeout', '40000'], {
      onLine: (line) => lines.push(line),
    }),
  );
  const exit = await Promise.race([
    demo.exited,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100_000).unref()),
  ]);
  const output = lines.join('\n');
  t.ok(exit, 'the demo finished within 100 s');
  t.equal(exit?.code, 0, 'exit code 0', { output });
  t.notMatch(output, /\[FAIL\]/, 'no step failed');

  t.match(output, new RegExp(`\\[ok\\] +${REQUESTS} requests web-0 -> http://tomcat:8080/ .*: ${REQUESTS} x 200$`, 'm'), 'every request answered 200');

  const routes = output.split('Routes (meshplug routes):\n')[1]?.split('\n\n')[0] ?? '';
  const header = routes.split('\n')[0] ?? '';
  t.match(header, /^COMPONENT\s+DEPENDENCY\s+PORT/, 'the routes table is printed');
  const row = routes.split('\n').findIndex((l) => /^shop\/web\s+shop\/tomcat\s+8080\s/.test(l));
  t.ok(row > 0, 'a route shop/web -> shop/tomcat:8080');
  // The row's endpoints: its own line and the continuation lines below it (empty first columns).
  const endpoints: string[] = [];
  for (const line of routes.split('\n').slice(row)) {
    if (endpoints.length > 0 && !/^\s/.test(line)) break;
    const e = /(\d+\.\d+\.\d+\.\d+:\d+) ready/.exec(line);
    if (e?.[1] !== undefined) endpoints.push(e[1]);
  }
  t.same(endpoints.map((e) => e.split(':')[0]), ['127.0.1.11', '127.0.1.12', '127.0.1.13'], 'three ready endpoints');
  t.ok(endpoints.every((e) => e.endsWith(':65380')), 'endpoints carry the outer port');

  const sidecars = output.split('Sidecars (meshplug proxy-status):\n')[1]?.split('\n\n')[0] ?? '';
  t.same(
    sidecars.split('\n').filter((l) => l.startsWith('web-0 ')).map((l) => l.split(/\s+/)[1]),
    ['mesh-proxy'],
    "web-0 runs one sidecar process: its mesh-proxy serves the pod's DNS too",
  );

  const spread = output.split(/Requests per tomcat backend:\n/)[1] ?? '';
  let total = 0;
  for (const pod of ['tomcat-0', 'tomcat-1', 'tomcat-2']) {
    const count = Number(new RegExp(`^${pod}\\s+\\S+ -> :8080\\s+(\\d+)`, 'm').exec(spread)?.[1] ?? 0);
    t.ok(count > 0, `${pod} served requests (${count})`);
    total += count;
  }
  t.equal(total, REQUESTS, 'the spread adds up to every request');
});

/** Whether something accepts TCP connections on host:port (bounded by a 2 s timeout). */
function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

t.test('meshplug demo keeps the mesh up until SIGINT, then stops everything it started', async (t) => {
  const children = new ChildGroup();
  t.teardown(() => children.stopAll(10_000));
  const lines: string[] = [];
  const demo = children.start(meshplugCommand('demo', 'demo', ['--listen', '127.0.0.1:0', '--requests', '3', '--ready-timeout', '40000'], { onLine: (line) => lines.push(line) }));
  let running: string | undefined;
  for (let i = 0; i < 1000 && running === undefined && demo.exitStatus === undefined; i++) {
    running = lines.find((l) => l.startsWith('The mesh is running.'));
    await new Promise((r) => setTimeout(r, 100));
  }
  t.ok(running, 'says the mesh is running', { output: lines.join('\n') });
  const server = /Ops API: (http:\/\/[\d.]+:\d+)/.exec(running ?? '')?.[1] ?? '';
  const { port } = new URL(server);
  t.ok(await listening('127.0.1.11', 15000), 'a sidecar admin API is up while running');
  t.ok(await listening('127.0.0.1', Number(port)), 'the ops API is up while running');

  process.kill(demo.pid as number, 'SIGINT');
  const exit = await Promise.race([demo.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 30_000).unref())]);
  t.equal(exit?.code, 0, 'Ctrl-C ends it with 0', { output: lines.join('\n') });
  for (const [host, p] of [['127.0.0.1', Number(port)], ['127.0.1.11', 15000], ['127.0.1.11', 8080], ['127.0.1.10', 15000]] as const) {
    t.notOk(await listening(host, p), `${host}:${p} is closed: its process was stopped`);
  }
});
