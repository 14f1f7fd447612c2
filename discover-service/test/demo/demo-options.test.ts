import t from 'tap';
import { DEMO_DEFAULTS, resolveDemoOptions } from '../../src/demo/demo-options.js';

t.test('defaults, frozen', async (t) => {
  const o = resolveDemoOptions({});
  t.equal(o.listenHost, '127.0.0.1');
  t.equal(o.listenPort, 6100);
  t.equal(o.requests, DEMO_DEFAULTS.requests);
  t.equal(o.headless, false);
  t.equal(o.manifest, DEMO_DEFAULTS.manifest);
  t.ok(Object.isFrozen(o));
  t.equal(resolveDemoOptions({ listen: '127.0.0.1:0' }).listenPort, 0, 'port 0 means pick one');
});

t.test('bad options name the field', async (t) => {
  for (const [input, field] of [
    [{ listen: 'localhost:6100' }, 'listen'],
    [{ listen: '127.0.0.1:70000' }, 'listen'],
    [{ requests: 0 }, 'requests'],
    [{ requests: 1.5 }, 'requests'],
    [{ readyTimeoutMs: 10 }, 'readyTimeoutMs'],
  ] as const) {
    t.throws(() => resolveDemoOptions(input), { code: 'DISC_ERR_DEMO_INVALID_OPTIONS', message: new RegExp(`${field}:`) }, JSON.stringify(input));
  }
});
