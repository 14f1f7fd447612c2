import t from 'tap';
import { parseTrafficPolicy } from '@meshplug/plugin-api';
import { routeMatches } from '../../src/http/route-match.js';

const policy = (options: Record<string, string>) => parseTrafficPolicy(options).policy;

t.test('defaults match every request', async (t) => {
  t.ok(routeMatches(policy({}), undefined, '/', {}));
  t.ok(routeMatches(policy({}), 'anything:81', '/x?y', {}));
});

t.test('Domains: exact, suffix, prefix, with and without port', async (t) => {
  const p = policy({ Domains: 'api.shop,*.example.com,tomcat.*,web:8080' });
  t.ok(routeMatches(p, 'api.shop', '/', {}));
  t.ok(routeMatches(p, 'API.shop:8080', '/', {}), 'case-insensitive; a pattern without port ignores the port');
  t.ok(routeMatches(p, 'a.example.com', '/', {}));
  t.ok(routeMatches(p, 'tomcat.shop.svc', '/', {}));
  t.ok(routeMatches(p, 'web:8080', '/', {}));
  t.notOk(routeMatches(p, 'web:9090', '/', {}), 'a pattern with a port needs that port');
  t.notOk(routeMatches(p, 'other', '/', {}));
  t.notOk(routeMatches(p, undefined, '/', {}));
});

t.test('Prefix and Headers', async (t) => {
  const p = policy({ Prefix: '/api', Headers: 'x-user:vip;x-canary:' });
  t.ok(routeMatches(p, 'h', '/api/v1', { 'x-user': 'vip-7', 'x-canary': '1' }));
  t.notOk(routeMatches(p, 'h', '/web', { 'x-user': 'vip', 'x-canary': '1' }), 'prefix');
  t.notOk(routeMatches(p, 'h', '/api', { 'x-user': 'guest', 'x-canary': '1' }), 'header value prefix');
  t.notOk(routeMatches(p, 'h', '/api', { 'x-user': 'vip' }), 'header presence');
});
