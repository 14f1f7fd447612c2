import t from 'tap';
import { DiscoverClient, silentLogger, type ClusterReport } from '@meshplug/plugin-api';
import { PROXY_COMMAND } from '../../src/cli/main.js';
import { MeshProxy, PROXY_DEFAULTS, resolveProxyOptions } from '../../src/index.js';
import { ReportBuilder } from '../../src/report/report-builder.js';
import { REPORT_PATH, StatsReporter } from '../../src/report/stats-reporter.js';
import { FakeTimers } from '../helpers/fake-timers.js';
import { endpoint, meshDoc, NS, outbound, SVC } from '../helpers/mesh-doc.js';
import { freePort, httpRequest, startUpstream, waitFor } from '../helpers/net.js';
import { FakeReportServer } from './fake-report-server.js';
import { InterceptTimers } from './intercept-timers.js';

/** A period no other timer of the proxy uses, so only report timers are intercepted. */
const INTERVAL_SECONDS = 7;

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

t.test('option: default 10 s, 0 turns reporting off, out of range is refused', async (t) => {
  const base = { configUrl: 'http://127.0.0.1:1', namespace: NS, service: SVC };
  t.equal(PROXY_DEFAULTS.reportIntervalSeconds, 10);
  t.equal(resolveProxyOptions(base).reportIntervalSeconds, 10);
  t.equal(resolveProxyOptions({ ...base, reportIntervalSeconds: 0 }).reportIntervalSeconds, 0);
  t.throws(() => resolveProxyOptions({ ...base, reportIntervalSeconds: -1 }), { code: 'MESH_ERR_INVALID_OPTIONS' });
  t.throws(() => resolveProxyOptions({ ...base, reportIntervalSeconds: 1.5 }), { code: 'MESH_ERR_INVALID_OPTIONS' });
  t.match(PROXY_COMMAND.flags['report-interval'], { default: '10' }, 'meshplug proxy --report-interval (and MESHPLUG_REPORT_INTERVAL)');
});

t.test('mesh-proxy reports per-endpoint totals and windowed latency every period', async (t) => {
  const upstream = await startUpstream((req, res) => {
    res.writeHead(req.url === '/fail' ? 500 : 200);
    res.end('x');
  });
  t.teardown(() => upstream.close());
  const port = await freePort('127.77.9.1');
  const doc = meshDoc('r1', { outbound: [outbound('127.77.9.1', port, [endpoint('127.0.0.1', upstream.port)])] });
  const discover = await new FakeReportServer(doc).start();
  t.teardown(() => discover.close());
  const timers = new InterceptTimers(INTERVAL_SECONDS * 1000);
  const proxy = new MeshProxy({
    configUrl: discover.url,
    namespace: NS,
    service: SVC,
    proxyId: 'web-7',
    adminAddress: '127.0.0.1:0',
    bindAddress: '127.0.0.1',
    drainTimeoutMs: 1000,
    reportIntervalSeconds: INTERVAL_SECONDS,
    timers,
  });
  await proxy.start();
  t.teardown(() => proxy.stop());
  t.ok(await proxy.whenApplied('r1'), 'applied');
  t.equal(timers.size, 1, 'the first report is scheduled one period after start');

  const vip = `http://127.77.9.1:${port}`;
  for (const path of ['/a', '/b', '/fail', '/c', '/fail']) await httpRequest(vip + path);
  t.equal(timers.fire(), 1);
  await waitFor(() => discover.reports.length === 1, 5000, 'the first report');
  const first = discover.reports[0]!;
  t.equal(first.headers['x-meshplug-proxy-id'], 'web-7', 'the long-poll identity headers');
  t.equal(first.headers['x-meshplug-proxy-kind'], 'mesh-proxy');
  t.equal(first.headers['x-meshplug-applied-version'], 'r1');
  t.match(first.headers['content-type'], /^application\/json/);
  t.equal(first.body.namespace, NS);
  t.equal(first.body.service, SVC);
  t.equal(first.body.intervalSeconds, INTERVAL_SECONDS);
  t.equal(first.body.clusters.length, 1, 'outbound clusters only');
  const cluster = first.body.clusters[0]!;
  t.match(cluster, { dependency: doc.outbound[0]!.name.replace(/:\d+$/, ''), port, requests: 5, errors: 2 });
  t.same(cluster.endpoints, [{ address: '127.0.0.1', port: upstream.port, requests: 5, errors: 2, active: 0, ejected: false, ejections: 0 }]);
  t.equal(cluster.latencyCounts.length, first.body.latencyBoundsMs.length + 1, 'one count per bucket and +Inf');
  t.equal(sum(cluster.latencyCounts), 5, 'five latencies in the first window');

  // The next period is scheduled once the report ended; its window holds only what came since.
  await waitFor(() => timers.size === 1, 5000, 'the next report scheduled');
  await httpRequest(`${vip}/d`);
  timers.fire();
  await waitFor(() => discover.reports.length === 2, 5000, 'the second report');
  const second = discover.reports[1]!.body.clusters[0]!;
  t.equal(second.requests, 6, 'totals keep counting');
  t.equal(sum(second.latencyCounts), 1, 'latency covers the last window only');

  // A refused report is retried with fresh totals; its latency window carries over.
  discover.status = 503;
  await waitFor(() => timers.size === 1, 5000, 'the third report scheduled');
  await httpRequest(`${vip}/e`);
  timers.fire();
  await waitFor(() => discover.reports.length === 3 && timers.size === 1, 5000, 'the refused report and the next period');
  discover.status = 204;
  await httpRequest(`${vip}/f`);
  timers.fire();
  await waitFor(() => discover.reports.length === 4, 5000, 'the fourth report');
  const fourth = discover.reports[3]!.body.clusters[0]!;
  t.equal(fourth.requests, 8);
  t.equal(sum(fourth.latencyCounts), 2, 'the window of the refused report is in the next one');

  await proxy.stop();
  t.equal(timers.size, 0, 'stopping the proxy stops reporting');
});

function reporterFor(url: string, timers: FakeTimers | InterceptTimers, intervalSeconds: number, applied: string | null = 'v1') {
  const client = new DiscoverClient({ baseUrl: url, headers: { 'x-meshplug-proxy-id': 'p', 'x-meshplug-proxy-kind': 'mesh-proxy' }, token: () => 'tok' });
  const builder = new ReportBuilder(
    { clusters: () => [], counters: () => { throw new Error('no clusters'); } },
    { namespace: NS, service: SVC, intervalSeconds },
  );
  return new StatsReporter({ intervalSeconds, client, builder, appliedVersion: () => applied ?? undefined, timers, logger: silentLogger() });
}

t.test('0 seconds: nothing is scheduled', async (t) => {
  const timers = new FakeTimers();
  const reporter = reporterFor('http://127.0.0.1:1', timers, 0);
  reporter.start();
  t.equal(timers.size, 0);
  await reporter.stop();
});

t.test('the token is sent; nothing is sent before a configuration is applied', async (t) => {
  const discover = await new FakeReportServer(meshDoc('x', {})).start();
  t.teardown(() => discover.close());
  t.equal(await reporterFor(discover.url, new FakeTimers(), 5, null).reportNow(), false, 'nothing applied, nothing reported');
  t.equal(discover.reports.length, 0);
  t.equal(await reporterFor(discover.url, new FakeTimers(), 5).reportNow(), true);
  t.equal(discover.reports[0]?.headers.authorization, 'Bearer tok');
  t.same(discover.reports[0]?.body.clusters, []);
  t.equal(REPORT_PATH, '/v1/proxies/report');
});

t.test('never throws: unreachable, hung or refusing discover-service', async (t) => {
  const closed = `http://127.0.0.1:${await freePort()}`;
  t.equal(await reporterFor(closed, new FakeTimers(), 5).reportNow(), false, 'connection refused');

  const discover = await new FakeReportServer(meshDoc('x', {})).start();
  t.teardown(() => discover.close());
  discover.status = 400;
  t.equal(await reporterFor(discover.url, new FakeTimers(), 5).reportNow(), false, 'a 400');

  discover.status = 0;
  const timers = new InterceptTimers(5000);
  const hung = reporterFor(discover.url, timers, 5);
  const pending = hung.reportNow();
  t.equal(hung.reportNow(), pending, 'one report at a time');
  await waitFor(() => discover.reports.length === 2, 5000, 'the hung report arrived');
  timers.fire();
  t.equal(await pending, false, 'given up after its timeout');

  const stopped = reporterFor(discover.url, new InterceptTimers(5000), 5);
  const inFlight = stopped.reportNow();
  await waitFor(() => discover.reports.length === 3, 5000, 'the report arrived');
  await stopped.stop();
  t.equal(await inFlight, false, 'stop aborts the report in flight');
});

t.test('builder: outbound clusters only, totals as they stand, latency since the last commit', async (t) => {
  const counters = {
    requests: new Map([['200', 4], ['503', 1], ['aborted', 1]]),
    latencyBuckets: new Float64Array(15),
    latencySum: 0.004,
  };
  counters.latencyBuckets[3] = 3;
  counters.latencyBuckets[14] = 1;
  const views = [
    { name: 'inbound|8080', direction: 'inbound', endpoints: [] },
    {
      name: 'shop/tomcat:8080',
      direction: 'outbound',
      endpoints: [{ address: '10.0.0.1', port: 8080, total: 5, errors: 1, active: 2, health: 'ejected', ejectionCount: 3 }],
    },
  ];
  const builder = new ReportBuilder(
    { clusters: () => views as never, counters: () => counters as never },
    { namespace: 'shop', service: 'web', intervalSeconds: 10 },
  );
  const first = builder.build();
  t.same(first.report.latencyBoundsMs.slice(0, 4), [0.5, 1, 2.5, 5], 'bounds in ms');
  const expected: ClusterReport = {
    dependency: 'shop/tomcat',
    port: 8080,
    requests: 6,
    errors: 1,
    latencyCounts: [0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    latencySumMs: 4,
    endpoints: [{ address: '10.0.0.1', port: 8080, requests: 5, errors: 1, active: 2, ejected: true, ejections: 3 }],
  };
  t.same(first.report.clusters, [expected]);
  counters.latencyBuckets[3] = 5;
  counters.latencySum = 0.006;
  t.same(builder.build().report.clusters[0]?.latencyCounts[3], 5, 'not committed: the window still starts at zero');
  first.commit();
  const next = builder.build().report.clusters[0]!;
  t.equal(next.latencyCounts[3], 2, 'after a commit, only what came since');
  t.equal(next.latencyCounts[14], 0);
  t.equal(next.latencySumMs, 2);
});
