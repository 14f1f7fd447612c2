import t from 'tap';
import { injectPod, SIDECAR_ENV, SIDECAR_NODE_OPTIONS } from '../../src/inject/inject-pod.js';
import { uninjectPod, ANNOTATION_INJECTION } from '../../src/inject/injection-record.js';
import { resolveInjectOptions } from '../../src/inject/inject-options.js';
import type { InjectPlugin } from '../../src/inject/plugin-container.js';
import type { PodTemplate } from '../../src/inject/pod-types.js';
import type { PluginVersion } from '../../src/model/plugin.js';

const options = resolveInjectOptions({ discoverHost: '10.0.0.5', upstreamDns: '10.96.0.10:53' });

function plugin(name: string, type: PluginVersion['type'], extra: Partial<PluginVersion> = {}): PluginVersion {
  return { name, version: '1.0.0', type, image: `img/${name}:1`, memory: '64Mi', configGroups: [], ...extra };
}

function use(p: PluginVersion, opts: { enabled?: boolean; memory?: string; env?: Record<string, string> } = {}): InjectPlugin {
  return {
    plugin: p,
    ref: { name: p.name, version: p.version, enabled: opts.enabled ?? true, ...(opts.memory ? { memory: opts.memory } : {}) },
    env: opts.env ?? {},
  };
}

function appPod(): PodTemplate {
  return {
    metadata: { labels: { app: 'web' }, annotations: { keep: 'me' } },
    spec: {
      dnsPolicy: 'ClusterFirst',
      containers: [
        {
          name: 'app',
          image: 'web:1',
          env: [{ name: 'SHARED', value: 's' }, { name: 'LOG_LEVEL', value: 'from-app' }],
          ports: [{ name: 'http', containerPort: 8080 }, { containerPort: 9090 }],
        },
      ],
    },
  };
}

const governance = plugin('net-governance', 'net-inout');
const target = (plugins: InjectPlugin[]) => ({ namespace: 'shop', service: 'web', plugins });

t.test('net plugin: one sidecar before the app, ports moved, env, resources, dns, volume', async (t) => {
  const { pod, inbound, plugins } = injectPod(appPod(), target([use(governance, { memory: '128Mi', env: { LOG_LEVEL: 'debug' } })]), options);
  t.same(plugins, ['net-governance']);
  const names = pod.spec.containers.map((c) => c.name);
  t.same(names, ['plugin-net-governance', 'app'], 'no second container for DNS');
  const [proxy, app] = pod.spec.containers;
  t.same(inbound, [
    { name: 'http', port: 8080, outerPort: 65380 },
    { name: 'mp-9090', port: 9090, outerPort: inbound[1]!.outerPort },
  ]);
  t.ok(inbound[1]!.outerPort >= 65301 && inbound[1]!.outerPort <= 65400);
  t.same(app!.ports, [{ containerPort: 8080 }, { containerPort: 9090 }], 'port name moved off the app container');
  t.same(proxy!.ports, [
    { name: 'http', containerPort: 65380, protocol: 'TCP' },
    { name: 'mp-9090', containerPort: inbound[1]!.outerPort, protocol: 'TCP' },
  ]);
  const env = Object.fromEntries(proxy!.env!.map((e) => [e.name, e.value ?? e.valueFrom]));
  t.equal(env.SHARED, 's', 'main container env is shared');
  t.equal(env.LOG_LEVEL, 'debug', 'the plugin item wins over the shared variable');
  t.equal(env.XDS_HOST_IP, '10.0.0.5');
  t.equal(env.DISCOVER_URL, 'http://$(XDS_HOST_IP):6100/v1/resources/shop/web/net-governance');
  t.equal(env.DISCOVER_URL_NOHOST, '/v1/resources/shop/web/net-governance');
  t.equal(env.PLUGIN_ID, 'net-governance');
  t.equal(env.NAMESPACE, 'shop');
  t.equal(env.SERVICE_NAME, 'web');
  t.equal(env.API_HOST_PORT, '6100');
  t.equal(env.MESHPLUG_INBOUND, `http:8080:65380,mp-9090:9090:${inbound[1]!.outerPort}`);
  const names2 = proxy!.env!.map((e) => e.name);
  t.ok(names2.indexOf('XDS_HOST_IP') < names2.indexOf('DISCOVER_URL'), '$(XDS_HOST_IP) is defined before use');
  t.equal(app!.env!.find((e) => e.name === 'LOG_LEVEL')!.value, 'from-app', 'plugin variables never leak into the app');
  t.same(proxy!.resources, { requests: { memory: '128Mi' }, limits: { memory: '128Mi' } });
  t.ok(proxy!.lifecycle, 'the app starts only after the proxy is ready (postStart hold)');
  t.equal(pod.spec.dnsPolicy, 'None');
  t.same(pod.spec.dnsConfig, {
    nameservers: ['127.0.0.1'],
    searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
    options: [{ name: 'ndots', value: '5' }],
  });
  t.same(pod.spec.securityContext?.sysctls, [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
  t.ok(pod.spec.volumes?.some((v) => v.name === 'meshplug-state'));
  t.equal(env.MESHPLUG_DNS_LISTEN, '127.0.0.1:53', 'the sidecar process serves the pod DNS too (mesh-proxy --dns-listen)');
  t.equal(env.MESHPLUG_DNS_UPSTREAM, '10.96.0.10:53');
  t.equal(env.MESHPLUG_DNS_METRICS, '127.0.0.1:15053');
  t.equal(env.NODE_OPTIONS, SIDECAR_NODE_OPTIONS, 'a lean heap');
  t.equal(SIDECAR_NODE_OPTIONS, '--max-semi-space-size=1 --v8-pool-size=1 --max-old-space-size=256');
  for (const { name, value } of SIDECAR_ENV) t.equal(env[name], value, `sidecar env ${name}`);
  t.equal(env.MALLOC_MMAP_THRESHOLD_, '65536', 'malloc gives big blocks back');
  t.equal(pod.metadata?.annotations?.keep, 'me');
});

t.test('memory is never below the plugin version minimum', async (t) => {
  const { pod } = injectPod(appPod(), target([use(governance, { memory: '16Mi' })]), options);
  t.same(pod.spec.containers[0]!.resources, { requests: { memory: '64Mi' }, limits: { memory: '64Mi' } });
});

t.test('idempotent: injecting twice changes nothing', async (t) => {
  const once = injectPod(appPod(), target([use(governance)]), options).pod;
  const twice = injectPod(once, target([use(governance)]), options).pod;
  t.same(twice, once);
});

t.test('reversible: a disabled plugin is removed and the pod restored', async (t) => {
  const injected = injectPod(appPod(), target([use(governance)]), options).pod;
  const { pod, plugins } = injectPod(injected, target([use(governance, { enabled: false })]), options);
  t.same(plugins, []);
  t.same(pod, appPod());
  t.same(uninjectPod(injected), appPod());
  t.notOk(pod.metadata?.annotations?.[ANNOTATION_INJECTION]);
});

t.test('plugin types place containers', async (t) => {
  const { pod } = injectPod(
    appPod(),
    target([use(plugin('perf', 'analyst-perf')), use(plugin('setup', 'init')), use(plugin('ingress', 'net-inbound'))]),
    options,
  );
  t.same(pod.spec.containers.map((c) => c.name), ['plugin-ingress', 'app', 'plugin-perf']);
  t.same(pod.spec.initContainers!.map((c) => c.name), ['plugin-setup']);
  t.equal(pod.spec.dnsPolicy, 'ClusterFirst', 'inbound-only plugins leave DNS alone');
  t.notOk(pod.spec.containers[0]!.env!.some((e) => e.name.startsWith('MESHPLUG_DNS_')), 'and serve none');
});

t.test('native sidecar mode', async (t) => {
  const native = resolveInjectOptions({ ...options, nativeSidecar: true });
  const { pod } = injectPod(appPod(), target([use(governance)]), native);
  t.same(pod.spec.containers.map((c) => c.name), ['app']);
  t.same(pod.spec.initContainers!.map((c) => [c.name, c.restartPolicy]), [['plugin-net-governance', 'Always']]);
  t.ok(pod.spec.initContainers![0]!.startupProbe, 'startupProbe holds the app until /ready');
  t.same(injectPod(pod, target([use(governance)]), native).pod, pod, 'idempotent in native mode too');
});

t.test('only the Service target ports move', async (t) => {
  const { inbound, pod } = injectPod(appPod(), { ...target([use(governance)]), appPorts: [8080] }, options);
  t.same(inbound.map((m) => m.port), [8080]);
  t.same(pod.spec.containers.find((c) => c.name === 'app')!.ports, [{ containerPort: 8080 }, { containerPort: 9090 }]);
});

t.test('refusals are explicit', async (t) => {
  const withPort = (containerPort: number): PodTemplate => {
    const p = appPod();
    p.spec.containers[0]!.ports!.push({ containerPort });
    return p;
  };
  t.throws(() => injectPod(withPort(65320), target([use(governance)]), options), {
    code: 'API_ERR_INJECT_REFUSED',
    message: /container "app" port 65320 lies inside the outer-port range 65301-65400/,
  });
  t.throws(() => injectPod(withPort(15000), target([use(governance)]), options), {
    message: /port 15000 equals the mesh-proxy admin port/,
  });
  t.throws(() => injectPod(withPort(53), target([use(governance)]), options), { message: /collides with dns-shim/ });
  t.throws(() => resolveInjectOptions({ upstreamDns: 'nope' }), { code: 'API_ERR_INVALID_OPTION', message: /upstreamDns/ });
  t.throws(() => injectPod({ spec: { containers: [] } }, target([use(governance)]), options), { message: /no containers/ });
});

t.test('separate inbound and outbound plugins: the outbound one serves the pod DNS', async (t) => {
  const { pod } = injectPod(appPod(), target([use(plugin('ingress', 'net-inbound')), use(plugin('egress', 'net-outbound'))]), options);
  t.same(pod.spec.containers.map((c) => c.name), ['plugin-ingress', 'plugin-egress', 'app']);
  const dnsListen = (name: string) => pod.spec.containers.find((c) => c.name === name)!.env!.find((e) => e.name === 'MESHPLUG_DNS_LISTEN')?.value;
  t.equal(dnsListen('plugin-ingress'), undefined);
  t.equal(dnsListen('plugin-egress'), '127.0.0.1:53');
  t.equal(pod.spec.dnsPolicy, 'None');
});

t.test('a pod injected by the two-container version is re-injected to one sidecar', async (t) => {
  const current = injectPod(appPod(), target([use(governance)]), options).pod;
  const old = structuredClone(current);
  old.spec.containers.splice(1, 0, { name: 'meshplug-dns', image: 'meshplug/mesh-proxy:0.1.0', args: ['dns'] });
  const record = JSON.parse(old.metadata!.annotations![ANNOTATION_INJECTION]!) as { containers: string[] };
  record.containers.push('meshplug-dns');
  old.metadata!.annotations![ANNOTATION_INJECTION] = JSON.stringify(record);
  t.same(uninjectPod(old), appPod(), 'its record still undoes it');
  t.same(injectPod(old, target([use(governance)]), options).pod, current);
});
