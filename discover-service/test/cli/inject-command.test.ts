import t from 'tap';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { validateKubeObject } from '../../../test/manifests/kube-schema.js';
import { captureIo } from './capture-io.js';

const path = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

t.test('inject --access-control mounts the projected token; the result is valid Kubernetes', async (t) => {
  const app = ['tomcat.yaml', 'web.yaml', 'component-web.yaml'].map((f) => ['--components', path(`manifests/examples/app/${f}`)]).flat();
  const run = async (extra: string[]) => {
    const io = captureIo();
    t.equal(await runCli('inject', ['-f', path('manifests/examples/app/web.yaml'), ...app, '--components', path('manifests/base/plugin-net-governance.yaml'), ...extra], io), 0);
    return parseAllDocuments(io.out()).map((d) => d.toJS() as Record<string, any>);
  };
  const deployment = (docs: Record<string, any>[]) => docs.find((d) => d.kind === 'Deployment')!;
  const on = deployment(await run(['--access-control']));
  await t.resolves(validateKubeObject(on), 'valid with the projected volume');
  const pod = on.spec.template.spec;
  t.match(pod.volumes, [{}, { name: 'meshplug-token', projected: { sources: [{ serviceAccountToken: { audience: 'meshplug', expirationSeconds: 3600, path: 'token' } }] } }]);
  const sidecars = pod.containers.filter((c: { name: string }) => c.name !== 'web');
  t.same(sidecars.map((c: { name: string }) => c.name), ['plugin-net-governance'], 'one sidecar: it serves the pod DNS too');
  for (const c of sidecars) {
    t.ok(c.env.some((e: { name: string; value: string }) => e.name === 'MESHPLUG_TOKEN_FILE' && e.value === '/var/run/secrets/meshplug/token'), c.name);
  }
  const off = deployment(await run([]));
  t.notOk(off.spec.template.spec.volumes.some((v: { name: string }) => v.name === 'meshplug-token'), 'off by default');
});
