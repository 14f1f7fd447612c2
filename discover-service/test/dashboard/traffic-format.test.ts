import t from 'tap';
import type { RouteTraffic } from '../../dashboard/src/api-types.js';
import {
  endpointTraffic,
  formatCount,
  formatEjected,
  formatErrors,
  formatLatency,
  formatMs,
  NO_DATA,
  trafficFor,
} from '../../dashboard/src/traffic-format.js';

const row: RouteTraffic = {
  component: 'shop/web',
  dependency: 'shop/tomcat',
  port: 8080,
  sidecars: 2,
  requests: 10,
  errors: 1,
  endpoints: [{ address: '127.0.1.11', port: 8080, requests: 10, errors: 1, active: 0, ejected: true, ejectedBy: 1, ejections: 2 }],
};

t.test('numbers read the same everywhere', async (t) => {
  t.equal(formatCount(1234567), '1,234,567');
  t.same([0, 0.755, 12.34, 375, 2500, 10_000].map(formatMs), ['0 ms', '0.76 ms', '12.3 ms', '375 ms', '2.5 s', '10 s']);
  t.equal(formatLatency(undefined), NO_DATA);
  t.equal(formatLatency({ count: 3, meanMs: 2, p50Ms: 0.755, p99Ms: 375 }), 'p50 0.76 ms · p99 375 ms');
  t.same([formatErrors(0, 10), formatErrors(2, 5), formatErrors(1, 400), formatErrors(3, 0)], ['0', '2 (40%)', '1 (0.3%)', '3']);
});

t.test('ejection: says when only some of the sidecars eject it', async (t) => {
  const e = row.endpoints[0]!;
  t.equal(formatEjected(e, 2), 'yes (1/2)');
  t.equal(formatEjected(e, 1), 'yes');
  t.equal(formatEjected({ ...e, ejected: false }, 2), 'no');
});

t.test('a routes row finds its traffic by component, dependency and port', async (t) => {
  t.equal(trafficFor([row], { component: 'shop/web', dependency: 'shop/tomcat', port: 8080 }), row);
  t.equal(trafficFor([row], { component: 'shop/web', dependency: 'shop/tomcat', port: 8443 }), undefined);
  t.equal(endpointTraffic(row, '127.0.1.11', 8080), row.endpoints[0]);
  t.equal(endpointTraffic(row, '127.0.1.12', 8080), undefined);
  t.equal(endpointTraffic(undefined, '127.0.1.11', 8080), undefined);
});
