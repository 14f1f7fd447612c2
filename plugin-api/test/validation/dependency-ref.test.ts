import t from 'tap';
import { dependencyKey, isDependencyRef, parseDependencyRef } from '../../src/validation/dependency-ref.js';

t.test('the four written forms', async (t) => {
  t.strictSame(parseDependencyRef('tomcat', 'shop'), { name: 'tomcat', namespace: 'shop' });
  t.strictSame(parseDependencyRef('redis.cache', 'shop'), { name: 'redis', namespace: 'cache' });
  t.strictSame(parseDependencyRef('tomcat:8080', 'shop'), { name: 'tomcat', namespace: 'shop', port: 8080 });
  t.strictSame(parseDependencyRef('redis.cache:6379', 'shop'), { name: 'redis', namespace: 'cache', port: 6379 });
});

t.test('malformed references', async (t) => {
  const cases: [string, string][] = [
    ['', 'must not be empty: must be `name` or `name.namespace`, optionally followed by `:port`'],
    ['a:1:2', '`a:1:2` must be `name` or `name.namespace`, optionally followed by `:port`'],
    ['a.b.c', '`a.b.c` must be `name` or `name.namespace`, optionally followed by `:port`'],
    ['tomcat:0', 'port `0` must be a number from 1 to 65535'],
    ['tomcat:65536', 'port `65536` must be a number from 1 to 65535'],
    ['tomcat:', 'port `` must be a number from 1 to 65535'],
    ['tomcat:-1', 'port `-1` must be a number from 1 to 65535'],
    [
      '-tomcat',
      "service name `-tomcat` must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)",
    ],
    [
      'redis.Cache',
      "namespace `Cache` must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)",
    ],
    [
      'redis.',
      "namespace `` must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)",
    ],
    [`${'a'.repeat(64)}`, `service name \`${'a'.repeat(64)}\` must be at most 63 characters`],
  ];
  for (const [ref, reason] of cases) t.strictSame(parseDependencyRef(ref, 'shop'), { path: '', reason }, ref);
});

t.test('isDependencyRef and dependencyKey', async (t) => {
  const ref = parseDependencyRef('tomcat:8080', 'shop');
  t.ok(isDependencyRef(ref));
  t.notOk(isDependencyRef(parseDependencyRef('', 'shop')));
  if (isDependencyRef(ref)) t.equal(dependencyKey(ref), 'tomcat.shop:8080');
  t.equal(dependencyKey({ name: 'redis', namespace: 'cache' }), 'redis.cache');
});
