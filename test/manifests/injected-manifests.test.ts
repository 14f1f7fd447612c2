import t from 'tap';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { injectManifest } from '../../discover-service/src/inject/manifest-injector.js';
import { validateKubeObject } from './kube-schema.js';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

t.test('the worked example, injected, is valid Kubernetes in both sidecar modes', async (t) => {
  const files = ['namespace.yaml', 'tomcat.yaml', 'web.yaml', 'component-web.yaml'].map((f) => read(`manifests/examples/app/${f}`));
  const input = { text: files.join('\n---\n'), file: 'app' };
  const plugin = { text: read('manifests/base/plugin-net-governance.yaml').replace('metadata:\n', 'metadata:\n  namespace: meshplug-system\n'), file: 'plugin' };
  for (const nativeSidecar of [false, true]) {
    const { yaml, injected } = injectManifest(input, [plugin], { inject: { nativeSidecar, discoverHost: '10.96.7.7' } });
    t.same(injected, ['Deployment shop/web: net-governance'], `native=${nativeSidecar}`);
    const docs = parseAllDocuments(yaml).map((d) => d.toJS());
    for (const doc of docs) {
      await t.resolves(validateKubeObject(doc), `${doc.kind} ${doc.metadata.name} (native=${nativeSidecar}) is valid`);
    }
    const spec = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'web').spec.template.spec;
    const sidecars = [...(spec.initContainers ?? []), ...spec.containers].filter((c: { name: string }) => c.name.startsWith('plugin-'));
    t.same(
      sidecars.map((c: { name: string; env: { name: string; value?: string }[] }) => [c.name, c.env.find((e) => e.name === 'MESHPLUG_DNS_LISTEN')?.value]),
      [['plugin-net-governance', '127.0.0.1:53']],
      `one sidecar process serves proxy and DNS (native=${nativeSidecar})`,
    );
  }
});
