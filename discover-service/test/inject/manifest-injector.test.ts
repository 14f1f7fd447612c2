import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { injectManifest } from '../../src/inject/manifest-injector.js';
import { appYaml, pluginYaml } from './fixtures.js';

const docs = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS() as Record<string, any>);
const context = [{ text: pluginYaml, file: 'plugin.yaml' }];

t.test('injects the workload of a component and rewrites its numeric targetPort', async (t) => {
  const { yaml, injected } = injectManifest({ text: appYaml, file: 'app.yaml' }, context, { inject: { discoverHost: '10.0.0.9' } });
  t.same(injected, ['Deployment shop/web: net-governance']);
  const out = docs(yaml);
  const web = out.find((d) => d.kind === 'Deployment')!;
  const containers = web.spec.template.spec.containers as { name: string; env?: { name: string; value?: string }[] }[];
  t.same(containers.map((c) => c.name), ['plugin-net-governance', 'web']);
  const env = Object.fromEntries(containers[0]!.env!.map((e) => [e.name, e.value]));
  t.equal(env.LOG_LEVEL, 'debug', 'env item from the component values');
  t.equal(env.SHARED, '1', 'shared main-container env');
  t.equal(env.XDS_HOST_IP, '10.0.0.9');
  t.equal(web.spec.template.spec.dnsPolicy, 'None');
  t.equal(env.MESHPLUG_DNS_LISTEN, '127.0.0.1:53', 'the sidecar serves the pod DNS');
  const svc = out.find((d) => d.kind === 'Service' && d.metadata.name === 'web')!;
  t.equal(svc.spec.ports[0].targetPort, 'http', 'numeric targetPort rewritten to the moved port name');
  const tomcat = out.find((d) => d.kind === 'Service' && d.metadata.name === 'tomcat')!;
  t.equal(tomcat.spec.ports[0].targetPort, 'http', 'other Services untouched');
  const db = out.find((d) => d.kind === 'StatefulSet')!;
  t.equal(db.spec.template.spec.containers.length, 1, 'a workload without a component is left alone');
});

t.test('injecting the output again changes nothing', async (t) => {
  const once = injectManifest({ text: appYaml, file: 'app.yaml' }, context, {}).yaml;
  const twice = injectManifest({ text: once, file: 'once.yaml' }, context, {}).yaml;
  t.equal(twice, once);
});

t.test('a disabled plugin is removed on the next injection', async (t) => {
  const once = injectManifest({ text: appYaml, file: 'app.yaml' }, context, {}).yaml;
  const disabled = once.replace('enabled: true', 'enabled: false');
  const { yaml, injected } = injectManifest({ text: disabled, file: 'x.yaml' }, context, {});
  t.same(injected, ['Deployment shop/web: (none)']);
  const web = docs(yaml).find((d) => d.kind === 'Deployment')!;
  t.same(web.spec.template.spec.containers.map((c: { name: string }) => c.name), ['web']);
  t.equal(web.spec.template.spec.containers[0].ports[0].name, 'http', 'the port name is given back');
  t.notOk(web.spec.template.spec.dnsPolicy);
});

t.test('pods, jobs and cronjobs are injected too', async (t) => {
  const pod = (kind: string, wrap: (tpl: object) => object) =>
    `apiVersion: v1\nkind: ${kind}\nmetadata: { name: x, namespace: shop }\n${JSON.stringify(wrap({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'a' }] } }))}`;
  const text = [
    `apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: shop, labels: { app: web } }\nspec: { containers: [{ name: a, image: a }] }`,
    pod('Job', (tpl) => ({ spec: { template: tpl } })).replace(/^(.*)\n(\{.*\})$/s, '$1\n$2'),
  ].join('\n---\n');
  const jobDoc = {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'shop' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'a' }] } } } } },
  };
  const input = `${text.split('\n---\n')[0]}\n---\n${JSON.stringify(jobDoc)}\n---\n${appYaml}`;
  const { injected } = injectManifest({ text: input, file: 'x.yaml' }, context, {});
  t.ok(injected.includes('Pod shop/p: net-governance'));
  t.ok(injected.includes('CronJob shop/c: net-governance'));
});

t.test('refusals and bad input are clear errors', async (t) => {
  const clash = appYaml.replace('containerPort: 8080', 'containerPort: 65350');
  t.throws(() => injectManifest({ text: clash, file: 'app.yaml' }, context, {}), { message: /65350/ });
  t.throws(() => injectManifest({ text: 'a: [', file: 'bad.yaml' }, context, {}), { code: 'DISC_ERR_INJECT_BAD_INPUT', message: /bad\.yaml:1: YAML/ });
});
