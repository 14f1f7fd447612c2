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
    meshplugCommand('demo', 'demo', ['--headless', '--listen', '127.0.0.1:0', '--requests', String(REQUESTS)], {
      onLine: (line) => lines.push(line),
    }),
  );
  const exit = await Promise.race([
    demo.exited,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100_000).unref()),
  ]);
  const output = lines.join('\n');
  t.ok(exit, 'the demo finished within 100 s');
  t.equal(exit?.code, 0, `exit code 0\n${output}`);
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

  const spread = output.split(/Requests per tomcat backend:\n/)[1] ?? '';
  let total = 0;
  for (const pod of ['tomcat-0', 'tomcat-1', 'tomcat-2']) {
    const count = Number(new RegExp(`^${pod}\\s+\\S+ -> :8080\\s+(\\d+)`, 'm').exec(spread)?.[1] ?? 0);
    t.ok(count > 0, `${pod} served requests (${count})`);
    total += count;
  }
  t.equal(total, REQUESTS, 'the spread adds up to every request');
});
