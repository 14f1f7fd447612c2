import t from 'tap';
import { parseTrafficPolicy } from '../../src/options/parse-traffic-policy.js';
import { DEFAULT_TRAFFIC_POLICY, type TrafficPolicy } from '../../src/options/traffic-policy.js';
import { TRAFFIC_OPTION_KEYS } from '../../src/options/traffic-option-keys.js';

t.test('no options: the defaults (Rainbond values where it had the key)', async (t) => {
  const { policy, issues } = parseTrafficPolicy({});
  t.same(issues, []);
  t.same(policy, {
    weight: 100,
    maxConnections: 10240,
    maxRequests: 10240,
    maxPendingRequests: 1024,
    maxActiveRetries: 3,
    consecutiveErrors: 5,
    baseEjectionTimeMs: 30000,
    maxEjectionPercent: 10,
    healthyPanicThreshold: 50,
    connectionTimeoutMs: 250,
    tcpIdleTimeoutSeconds: 7200,
    domains: ['*'],
    prefix: '/',
    headers: [],
    lbPolicy: 'round_robin',
    requestTimeoutMs: 0,
    retries: 2,
    retryOn: ['connect-failure'],
  });
  t.ok(Object.isFrozen(policy));
  t.ok(Object.isFrozen(DEFAULT_TRAFFIC_POLICY));
  t.ok(Object.isFrozen(DEFAULT_TRAFFIC_POLICY.domains));
});

t.test('every key, good values, in its unit', async (t) => {
  const { policy, issues } = parseTrafficPolicy({
    Weight: '30',
    MaxConnections: '200',
    MaxRequests: '300',
    MaxPendingRequests: '40',
    MaxActiveRetries: '5',
    ConsecutiveErrors: '7',
    BaseEjectionTimeMS: '1500',
    MaxEjectionPercent: '100',
    HealthyPanicThreshold: '0',
    ConnectionTimeout: '2000',
    TCPIdleTimeout: '600',
    Domains: 'Shop.example.com, *.example.org,api.*,localhost:8080',
    Prefix: '/api/v1',
    Headers: 'X-Canary:yes;x-url:http://a:1; user-agent:',
    LBPolicy: 'least_request',
    RequestTimeoutMS: '15000',
    Retries: '3',
    RetryOn: '5xx, reset,503 ,connect-failure,5xx',
  });
  t.same(issues, []);
  const expected: TrafficPolicy = {
    weight: 30,
    maxConnections: 200,
    maxRequests: 300,
    maxPendingRequests: 40,
    maxActiveRetries: 5,
    consecutiveErrors: 7,
    baseEjectionTimeMs: 1500,
    maxEjectionPercent: 100,
    healthyPanicThreshold: 0,
    connectionTimeoutMs: 2000,
    tcpIdleTimeoutSeconds: 600,
    domains: ['shop.example.com', '*.example.org', 'api.*', 'localhost:8080'],
    prefix: '/api/v1',
    headers: [
      { name: 'x-canary', value: 'yes' },
      { name: 'x-url', value: 'http://a:1' },
      { name: 'user-agent', value: '' },
    ],
    lbPolicy: 'least_request',
    requestTimeoutMs: 15000,
    retries: 3,
    retryOn: ['5xx', 'reset', 503, 'connect-failure'],
  };
  t.same(policy, expected);
  t.ok(Object.isFrozen(policy.headers) && Object.isFrozen(policy.headers[0]), 'nested values frozen');
  t.ok(Object.isFrozen(policy.domains) && Object.isFrozen(policy.retryOn));
});

t.test('integers: bounds and strict decimal syntax; a bad value keeps its default', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['Weight', '0', /from 1 to 1000/],
    ['Weight', '1001', /from 1 to 1000/],
    ['Weight', 'abc', /"abc" must be an integer/],
    ['MaxConnections', '-5', /from 1 to/],
    ['MaxRequests', '1.5', /integer/],
    ['MaxPendingRequests', '1e3', /integer/],
    ['MaxActiveRetries', '0x10', /integer/],
    ['ConsecutiveErrors', '0', /from 1 to 1000/],
    ['BaseEjectionTimeMS', '0', /from 1 to 86400000/],
    ['MaxEjectionPercent', '150', /from 1 to 100/],
    ['HealthyPanicThreshold', '101', /from 0 to 100/],
    ['ConnectionTimeout', '0', /from 1 to 300000/],
    ['ConnectionTimeout', '5s', /integer/],
    ['TCPIdleTimeout', '-1', /from 0 to 604800/],
    ['RequestTimeoutMS', '99999999999', /from 0 to 86400000/],
    ['Retries', '11', /from 0 to 10/],
  ];
  for (const [key, value, reason] of cases) {
    const { policy, issues } = parseTrafficPolicy({ [key]: value });
    t.equal(issues.length, 1, `${key}=${value}`);
    t.equal(issues[0]?.path, key);
    t.match(issues[0]?.reason, reason, `${key}=${value}`);
    t.ok(issues[0]?.reason.includes(JSON.stringify(value)), 'the value is named');
    t.same(policy, DEFAULT_TRAFFIC_POLICY, `${key} keeps its default`);
  }
  t.equal(parseTrafficPolicy({ Weight: ' +42 ' }).policy.weight, 42, 'spaces and a plus sign, like Atoi');
  t.equal(parseTrafficPolicy({ TCPIdleTimeout: '0', RequestTimeoutMS: '0', Retries: '0' }).policy.tcpIdleTimeoutSeconds, 0);
  t.equal(parseTrafficPolicy({ Retries: '0' }).policy.retries, 0, '0 disables retries');
});

t.test('one bad key does not disturb the others', async (t) => {
  const { policy, issues } = parseTrafficPolicy({ Weight: 'x', MaxConnections: '5', LBPolicy: 'fastest' });
  t.equal(policy.weight, 100);
  t.equal(policy.maxConnections, 5);
  t.equal(policy.lbPolicy, 'round_robin');
  t.same(issues.map((i) => i.path), ['Weight', 'LBPolicy']);
  t.match(issues[1]?.reason, /"fastest" must be one of round_robin, least_request, peak_ewma, random/);
});

t.test('LBPolicy: every policy, case and dash insensitive', async (t) => {
  for (const p of ['round_robin', 'least_request', 'peak_ewma', 'random'] as const) {
    t.equal(parseTrafficPolicy({ LBPolicy: p }).policy.lbPolicy, p);
  }
  t.equal(parseTrafficPolicy({ LBPolicy: 'LEAST-REQUEST' }).policy.lbPolicy, 'least_request');
});

t.test('Domains: comma-separated, validated, de-duplicated', async (t) => {
  t.same(parseTrafficPolicy({ Domains: 'a.com' }).policy.domains, ['a.com'], 'one domain, no comma (Rainbond)');
  t.same(parseTrafficPolicy({ Domains: 'a.com,A.com,' }).policy.domains, ['a.com']);
  t.same(parseTrafficPolicy({ Domains: '*' }).policy.domains, ['*']);
  t.same(parseTrafficPolicy({ Domains: '*-bar.foo.com' }).policy.domains, ['*-bar.foo.com']);
  const bad = parseTrafficPolicy({ Domains: 'ok.com,bad domain,a..b' });
  t.same(bad.policy.domains, ['*']);
  t.match(bad.issues[0]?.reason, /invalid domain "bad domain", "a..b"/);
  for (const v of [',', ' , ']) {
    const r = parseTrafficPolicy({ Domains: v });
    t.same(r.policy.domains, ['*']);
    t.match(r.issues[0]?.reason, /names no domain/, 'only separators');
  }
});

t.test('Prefix: absolute path only', async (t) => {
  t.equal(parseTrafficPolicy({ Prefix: '/' }).policy.prefix, '/');
  for (const p of ['api', '/a b', '/a?x=1', '/a#f']) {
    const r = parseTrafficPolicy({ Prefix: p });
    t.equal(r.policy.prefix, '/', p);
    t.match(r.issues[0], { path: 'Prefix', reason: /must be a path starting with \// });
  }
});

t.test("Headers: name:value pairs; Rainbond's has_header:no means none", async (t) => {
  t.same(parseTrafficPolicy({ Headers: 'has_header:no' }).policy.headers, []);
  t.same(parseTrafficPolicy({ Headers: 'has_header:no;x-a:1' }).policy.headers, [{ name: 'x-a', value: '1' }]);
  t.same(parseTrafficPolicy({ Headers: 'x-a:1;;' }).policy.headers, [{ name: 'x-a', value: '1' }]);
  const noColon = parseTrafficPolicy({ Headers: 'x-a:1;x-b' });
  t.same(noColon.policy.headers, [], 'the whole key keeps its default');
  t.match(noColon.issues[0], { path: 'Headers', reason: /"x-b" without name:value/ });
  t.match(parseTrafficPolicy({ Headers: 'bad name:1' }).issues[0]?.reason, /invalid header name "bad name"/);
});

t.test('RetryOn: conditions and status codes', async (t) => {
  t.same(parseTrafficPolicy({ RetryOn: 'gateway-error,retriable-4xx,409' }).policy.retryOn, ['gateway-error', 'retriable-4xx', 409]);
  t.same(parseTrafficPolicy({ RetryOn: 'refused-stream' }).policy.retryOn, ['refused-stream'], 'refused-stream can be named alone');
  for (const v of ['sometimes', '200', '600', '5xx,xx']) {
    const r = parseTrafficPolicy({ RetryOn: v });
    t.same(r.policy.retryOn, ['connect-failure'], v);
    t.match(r.issues[0], { path: 'RetryOn', reason: /not one of 5xx, gateway-error, reset, connect-failure, refused-stream, retriable-4xx or a status 400..599/ });
  }
});

t.test('empty values are "not set"; other plugins\' keys are ignored; wrong case is reported', async (t) => {
  const r = parseTrafficPolicy({ Weight: '', Prefix: '  ', OPEN_LIMIT: 'YES', LOG_LEVEL: 'debug', weight: '5', lbpolicy: 'random' });
  t.same(r.policy, DEFAULT_TRAFFIC_POLICY);
  t.same(r.issues, [
    { path: 'weight', reason: 'unknown option; did you mean Weight?' },
    { path: 'lbpolicy', reason: 'unknown option; did you mean LBPolicy?' },
  ]);
});

t.test('never throws on values of the wrong type; long values are cut in messages', async (t) => {
  const r = parseTrafficPolicy({ Weight: 5 as unknown as string, Prefix: `x${'a'.repeat(500)}` });
  t.match(r.issues[0], { path: 'Weight', reason: 'must be a string, got number' });
  t.ok((r.issues[1]?.reason.length ?? 0) < 200);
  t.match(r.issues[1]?.reason, /\.\.\."/);
});

t.test('TRAFFIC_OPTION_KEYS documents every TrafficPolicy field once', async (t) => {
  t.same(TRAFFIC_OPTION_KEYS.map((k) => k.field).sort(), Object.keys(DEFAULT_TRAFFIC_POLICY).sort());
  t.equal(new Set(TRAFFIC_OPTION_KEYS.map((k) => k.key)).size, TRAFFIC_OPTION_KEYS.length);
  t.same(TRAFFIC_OPTION_KEYS.map((k) => k.key), [
    'Weight', 'MaxConnections', 'MaxRequests', 'MaxPendingRequests', 'MaxActiveRetries', 'ConsecutiveErrors',
    'BaseEjectionTimeMS', 'MaxEjectionPercent', 'HealthyPanicThreshold', 'ConnectionTimeout', 'TCPIdleTimeout',
    'Domains', 'Prefix', 'Headers', 'LBPolicy', 'RequestTimeoutMS', 'Retries', 'RetryOn',
  ]);
  const units = Object.fromEntries(TRAFFIC_OPTION_KEYS.map((k) => [k.key, k.unit]));
  t.equal(units.ConnectionTimeout, 'ms');
  t.equal(units.TCPIdleTimeout, 's');
  t.equal(units.BaseEjectionTimeMS, 'ms');
  t.equal(units.RequestTimeoutMS, 'ms');
  t.ok(Object.isFrozen(TRAFFIC_OPTION_KEYS));
});
