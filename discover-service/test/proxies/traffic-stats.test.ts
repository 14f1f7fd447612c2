import t from 'tap';
import type { StoredReport } from '../../src/proxies/proxy-registry.js';
import { aggregateTraffic } from '../../src/proxies/traffic-stats.js';
import { BOUNDS_MS, clusterReport, endpointReport, proxyReport } from './report-fixtures.js';

function stored(id: string, report: ReturnType<typeof proxyReport>): StoredReport {
  return { identity: { id, kind: 'mesh-proxy', namespace: report.namespace, service: report.service }, report, at: 0 };
}

t.test('sums the sidecars of a component per dependency port and endpoint', async (t) => {
  const web0 = proxyReport('web', [
    clusterReport('shop/tomcat', [endpointReport('10.0.0.2', { requests: 10, errors: 1, active: 1 }), endpointReport('10.0.0.1', { requests: 5, ejected: true, ejections: 2 })], { requests: 15, errors: 2 }),
    clusterReport('cache/redis', [endpointReport('10.0.1.1', { requests: 3 })], { port: 6379, requests: 3 }),
  ]);
  const web1 = proxyReport('web', [
    clusterReport('shop/tomcat', [endpointReport('10.0.0.1', { requests: 7, errors: 3, ejections: 1 })], { requests: 7, errors: 3 }),
  ]);
  const api0 = proxyReport('api', [clusterReport('shop/tomcat', [endpointReport('10.0.0.1', { requests: 100 })], { requests: 100 })]);
  const rows = aggregateTraffic([stored('web-0', web0), stored('web-1', web1), stored('api-0', api0)]);
  t.same(
    rows.map((r) => `${r.component} -> ${r.dependency}:${r.port}`),
    ['shop/api -> shop/tomcat:8080', 'shop/web -> cache/redis:6379', 'shop/web -> shop/tomcat:8080'],
    'one row per component and dependency port, sorted',
  );
  const tomcat = rows[2]!;
  t.match(tomcat, { sidecars: 2, requests: 22, errors: 5 });
  t.same(tomcat.endpoints, [
    { address: '10.0.0.1', port: 8080, requests: 12, errors: 3, active: 0, ejected: true, ejectedBy: 1, ejections: 3 },
    { address: '10.0.0.2', port: 8080, requests: 10, errors: 1, active: 1, ejected: false, ejectedBy: 0, ejections: 0 },
  ]);
  t.notOk('latency' in tomcat, 'nothing timed, no latency');
  t.same(aggregateTraffic([stored('web-0', web0), stored('api-0', api0)], { service: 'api' }).map((r) => r.component), ['shop/api'], 'filter by service');
  t.same(aggregateTraffic([stored('web-0', web0)], { namespace: 'bank' }), [], 'filter by namespace');
});

t.test('latency: histograms are merged before quantiles are taken', async (t) => {
  // web-0: 98 fast (bucket 1: 0.5-1 ms); web-1: 2 slow (bucket 9: 250-500 ms).
  const web0 = proxyReport('web', [clusterReport('shop/tomcat', [], { latencySumMs: 73.5 }, { 1: 98 })]);
  const web1 = proxyReport('web', [clusterReport('shop/tomcat', [], { latencySumMs: 700 }, { 9: 2 })]);
  const [row] = aggregateTraffic([stored('web-0', web0), stored('web-1', web1)]);
  t.equal(row?.latency?.count, 100);
  t.equal(row?.latency?.meanMs, 7.735);
  t.equal(row?.latency?.p50Ms, 0.755, 'p50 interpolated in the fast bucket: 0.5 + 0.5 * 50/98');
  t.equal(row?.latency?.p99Ms, 375, 'p99 in the slow bucket: 250 + 250 * 1/2');

  const inf = proxyReport('web', [clusterReport('shop/tomcat', [], { latencySumMs: 20_000 }, { 14: 1 })]);
  t.equal(aggregateTraffic([stored('x', inf)])[0]?.latency?.p99Ms, 10_000, 'the +Inf bucket answers the highest bound');
});

t.test('latency: a sidecar with other bucket bounds adds into the first bucket not below its own', async (t) => {
  const standard = proxyReport('web', [clusterReport('shop/tomcat', [], {}, { 2: 1 })]);
  const other = { ...proxyReport('web', [clusterReport('shop/tomcat', [], {}, {})]), latencyBoundsMs: [2, 20] };
  other.clusters[0]!.latencyCounts = [1, 1, 1];
  const [row] = aggregateTraffic([stored('a', standard), stored('b', other)]);
  t.equal(row?.latency?.count, 4);
  t.equal(BOUNDS_MS[2], 2.5);
  t.equal(row?.latency?.p50Ms, 2.5, '2 ms and 2.5 ms land in the 1-2.5 ms bucket');
});
