import t from 'tap';
import { resolveServerOptions, SERVER_DEFAULTS } from '../../src/http/server-options.js';
import { FakeView } from './fake-view.js';

t.test('defaults are applied once and the result is frozen', async (t) => {
  const options = resolveServerOptions({ view: new FakeView() });
  t.equal(options.host, SERVER_DEFAULTS.host);
  t.equal(options.port, 6100);
  t.equal(options.maxWaitSeconds, 60);
  t.equal(options.proxyTtlMs, 120_000);
  t.equal(options.maxProxies, 10_000);
  t.equal(options.clock, Date.now);
  t.ok(Object.isFrozen(options));
});

t.test('every bad field is reported at once', async (t) => {
  t.throws(
    () => resolveServerOptions({ view: new FakeView(), host: '', port: 70000, maxWaitSeconds: 61, proxyTtlMs: -1, maxProxies: 0 }),
    {
      code: 'DISC_ERR_INVALID_SERVER_OPTIONS',
      message: /host : must be.*port 70000: .*maxWaitSeconds 61: .*proxyTtlMs -1: .*maxProxies 0: /,
    },
  );
  t.throws(() => resolveServerOptions({} as never), { code: 'DISC_ERR_INVALID_SERVER_OPTIONS', message: /view: must be a MeshView/ });
});
