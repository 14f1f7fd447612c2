import t from 'tap';
import { parseHostPort, PROXY_DEFAULTS, resolveProxyOptions } from '../../src/options/proxy-options.js';

const base = { configUrl: 'http://127.0.0.1:6100/', namespace: 'shop', service: 'web' };

t.test('defaults, in one place, frozen', async (t) => {
  const o = resolveProxyOptions(base);
  t.equal(o.configUrl, 'http://127.0.0.1:6100', 'trailing slash dropped');
  t.equal(o.adminHost, '127.0.0.1');
  t.equal(o.adminPort, 15000);
  t.equal(o.bindAddress, PROXY_DEFAULTS.bindAddress);
  t.equal(o.drainTimeoutMs, PROXY_DEFAULTS.drainTimeoutMs);
  t.equal(o.drainIdleGraceMs, PROXY_DEFAULTS.drainIdleGraceMs);
  t.equal(o.stateDir, undefined);
  t.ok(o.proxyId.length > 0, 'proxy id defaults to the host name');
  t.ok(Object.isFrozen(o));
});

t.test('every bad option is refused with its name', async (t) => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ configUrl: 'ftp://x' }, /configUrl/],
    [{ configUrl: 'not a url' }, /configUrl/],
    [{ namespace: 'Shop_1' }, /namespace/],
    [{ service: '' }, /service/],
    [{ adminAddress: 'localhost:15000' }, /adminAddress/],
    [{ adminAddress: '127.0.0.1:99999' }, /adminAddress/],
    [{ bindAddress: 'pod-1' }, /bindAddress/],
    [{ drainTimeoutMs: -1 }, /drainTimeoutMs/],
    [{ drainIdleGraceMs: 1.5 }, /drainIdleGraceMs/],
    [{ waitSeconds: 61 }, /waitSeconds/],
    [{ bindRetryMinMs: 100, bindRetryMaxMs: 10 }, /bindRetryMaxMs/],
    [{ dns: { listen: 'localhost:53' } }, /dns\.listen/],
    [{ dns: { listen: '127.0.0.1:53', upstreams: ['10.96.0.10:0'] } }, /dns\.upstreams/],
    [{ dns: { listen: '127.0.0.1:53', metricsListen: '15053' } }, /dns\.metricsListen/],
  ];
  for (const [patch, field] of bad) {
    t.throws(() => resolveProxyOptions({ ...base, ...patch }), { code: 'MESH_ERR_INVALID_OPTIONS', message: field }, JSON.stringify(patch));
  }
});

t.test('embedded DNS options: frozen, defaults filled in', async (t) => {
  t.equal(resolveProxyOptions(base).dns, undefined, 'no DNS unless asked for');
  const o = resolveProxyOptions({ ...base, dns: { listen: '127.0.0.1:53', upstreams: ['10.96.0.10:53'] } });
  t.same(o.dns, { listen: '127.0.0.1:53', upstreams: ['10.96.0.10:53'], metricsListen: undefined });
  t.ok(Object.isFrozen(o.dns) && Object.isFrozen(o.dns?.upstreams));
});

t.test('parseHostPort', async (t) => {
  t.same(parseHostPort('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  t.same(parseHostPort('[::1]:15000'), { host: '::1', port: 15000 });
  t.equal(parseHostPort('127.0.0.1'), undefined);
});
