import t from 'tap';
import { injectPod } from '../../src/inject/inject-pod.js';
import { uninjectPod } from '../../src/inject/injection-record.js';
import { resolveInjectOptions } from '../../src/inject/inject-options.js';
import type { PodTemplate } from '../../src/inject/pod-types.js';
import type { PluginVersion } from '../../src/model/plugin.js';
import { TOKEN_FILE, TOKEN_VOLUME } from '../../src/inject/service-account-token.js';

function plugin(name: string, type: PluginVersion['type']): PluginVersion {
  return { name, version: '1.0.0', type, image: `img/${name}:1`, configGroups: [] };
}

const plugins = [plugin('net-governance', 'net-inout'), plugin('warmup', 'init'), plugin('perf', 'analyst-perf')].map((p) => ({
  plugin: p,
  ref: { name: p.name, version: p.version, enabled: true },
  env: {},
}));
const target = { namespace: 'shop', service: 'web', plugins };

function appPod(): PodTemplate {
  return {
    metadata: { name: 'web-1' },
    spec: {
      volumes: [{ name: 'data', emptyDir: {} }],
      containers: [{ name: 'app', image: 'web:1', ports: [{ name: 'http', containerPort: 8080 }] }],
    },
  };
}

t.test('accessControl: a projected token (audience meshplug, 1 h) in every plugin container, with MESHPLUG_TOKEN_FILE', async (t) => {
  const { pod } = injectPod(appPod(), target, resolveInjectOptions({ accessControl: true }));
  t.same(pod.spec.volumes?.find((v) => v.name === TOKEN_VOLUME), {
    name: TOKEN_VOLUME,
    projected: { sources: [{ serviceAccountToken: { audience: 'meshplug', expirationSeconds: 3600, path: 'token' } }] },
  });
  t.equal(TOKEN_FILE, '/var/run/secrets/meshplug/token');
  const pluginContainers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].filter((c) => c.name !== 'app');
  t.same(pluginContainers.map((c) => c.name).sort(), ['plugin-net-governance', 'plugin-perf', 'plugin-warmup']);
  for (const c of pluginContainers) {
    t.match(c.volumeMounts, [{}, { name: TOKEN_VOLUME, mountPath: '/var/run/secrets/meshplug', readOnly: true }], `${c.name} mounts the token`);
    t.same(c.env?.filter((e) => e.name === 'MESHPLUG_TOKEN_FILE'), [{ name: 'MESHPLUG_TOKEN_FILE', value: TOKEN_FILE }], `${c.name} env`);
  }
  const app = pod.spec.containers.find((c) => c.name === 'app')!;
  t.equal(app.volumeMounts, undefined, 'the app container never gets the token');
  t.notOk(app.env?.some((e) => e.name === 'MESHPLUG_TOKEN_FILE'));
});

t.test('off by default: no token volume, mount or variable', async (t) => {
  const { pod } = injectPod(appPod(), target, resolveInjectOptions({}));
  t.notOk(pod.spec.volumes?.some((v) => v.name === TOKEN_VOLUME));
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    t.notOk(c.volumeMounts?.some((m) => m.name === TOKEN_VOLUME), c.name);
    t.notOk(c.env?.some((e) => e.name === 'MESHPLUG_TOKEN_FILE'), c.name);
  }
});

t.test('the token volume is idempotent and removed by uninjection', async (t) => {
  const options = resolveInjectOptions({ accessControl: true });
  const once = injectPod(appPod(), target, options).pod;
  const twice = injectPod(once, target, options).pod;
  t.same(twice, once, 'injecting twice changes nothing');
  t.same(uninjectPod(once), appPod(), 'the pod is restored, its own volume kept');
  const switchedOff = injectPod(once, target, resolveInjectOptions({})).pod;
  t.notOk(switchedOff.spec.volumes?.some((v) => v.name === TOKEN_VOLUME), 're-injected without access control: no token');
});

t.test('accessControl must be a boolean', async (t) => {
  t.throws(() => resolveInjectOptions({ accessControl: 'yes' as unknown as boolean }), { code: 'API_ERR_INVALID_OPTION' });
});
