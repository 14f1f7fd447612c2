import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { Store, Resolver } from '../../src/index.js';
import { PodInjector } from '../../src/inject/pod-injector.js';
import { reviewAdmission, podPatch } from '../../src/inject/admission-review.js';
import { buildServer } from '../../src/http/build-server.js';
import { appYaml, pluginYaml, admissionReview } from './fixtures.js';

function injector(extra: object[] = []) {
  const store = new Store();
  for (const d of [...parseAllDocuments(appYaml + '\n---\n' + pluginYaml).map((d) => d.toJS()), ...extra]) {
    if (['Service', 'ConfigMap'].includes(d.kind)) store.upsert(d.kind, d);
  }
  const resolver = new Resolver(store);
  resolver.setReady(true);
  return { resolver, injector: new PodInjector({ lookup: resolver, discoverService: 'meshplug-system/meshplug-discover', clusterDns: 'kube-system/kube-dns' }) };
}

const webPod = () => ({
  metadata: { name: 'web-abc', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ name: 'http', containerPort: 8080 }] }] },
});

function applyPatch(pod: any, patch: { op: string; path: string; value?: unknown }[]) {
  const out = structuredClone(pod);
  for (const op of patch) {
    if (op.path === '/spec') out.spec = op.value;
    else if (op.path === '/metadata/annotations') {
      if (op.op === 'remove') delete out.metadata.annotations;
      else out.metadata.annotations = op.value;
    }
  }
  return out;
}

t.test('a pod of a component gets a JSONPatch adding its plugins', async (t) => {
  const services = [
    { kind: 'Service', metadata: { name: 'meshplug-discover', namespace: 'meshplug-system' }, spec: { clusterIP: '10.96.7.7', ports: [{ port: 6100 }] } },
    { kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 53, protocol: 'UDP' }] } },
  ];
  const { injector: inj } = injector(services);
  const review = reviewAdmission(inj, admissionReview(webPod()));
  t.equal(review.response.uid, 'u-1');
  t.equal(review.response.allowed, true);
  t.equal(review.response.patchType, 'JSONPatch');
  const patch = JSON.parse(Buffer.from(review.response.patch!, 'base64').toString());
  const pod = applyPatch(webPod(), patch);
  t.same(pod.spec.containers.map((c: { name: string }) => c.name), ['plugin-net-governance', 'web'], 'one sidecar: it serves the pod DNS too');
  const env = Object.fromEntries(pod.spec.containers[0].env.map((e: { name: string; value?: string }) => [e.name, e.value]));
  t.equal(env.XDS_HOST_IP, '10.96.7.7', "sidecars dial discover-service's ClusterIP, no DNS needed");
  t.equal(env.MESHPLUG_DNS_UPSTREAM, '10.96.0.10:53', 'the pod DNS forwards to kube-dns');
  const again = reviewAdmission(inj, admissionReview(pod));
  t.equal(again.response.patch, undefined, 're-invocation on the injected pod changes nothing');
});

t.test('opt-out, unrelated pods and non-pods are allowed unchanged', async (t) => {
  const { injector: inj } = injector();
  const optOut = webPod();
  (optOut.metadata.labels as Record<string, string>)['mesh.io/inject'] = 'disabled';
  t.same(reviewAdmission(inj, admissionReview(optOut)).response, { uid: 'u-1', allowed: true });
  const other = { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'a' }] } };
  t.same(reviewAdmission(inj, admissionReview(other)).response, { uid: 'u-1', allowed: true });
  const notPod = admissionReview({ spec: {} });
  notPod.request.kind.kind = 'Deployment';
  t.equal(reviewAdmission(inj, notPod).response.allowed, true);
});

t.test('a refused pod is denied with the reason', async (t) => {
  const { injector: inj } = injector();
  const pod = webPod();
  pod.spec.containers[0]!.ports.push({ name: 'admin', containerPort: 15000 });
  const review = reviewAdmission(inj, admissionReview(pod));
  t.equal(review.response.allowed, false);
  t.match(review.response.status!.message, /port 15000 equals the mesh-proxy admin port/);
});

t.test('malformed reviews are rejected', async (t) => {
  const { injector: inj } = injector();
  t.throws(() => reviewAdmission(inj, { kind: 'Nope' }), { code: 'DISC_ERR_INJECT_BAD_INPUT', message: /not an AdmissionReview/ });
  t.throws(() => reviewAdmission(inj, { kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1beta1' }), { message: /only admission.k8s.io\/v1/ });
  t.throws(() => reviewAdmission(inj, { kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1', request: {} }), { message: /request.uid/ });
});

t.test('podPatch is empty when nothing changed', async (t) => {
  t.same(podPatch(webPod(), webPod()), []);
});

t.test('POST /v1/inject over HTTP', async (t) => {
  const { resolver, injector: inj } = injector();
  const server = buildServer({ view: resolver, port: 0, injector: inj });
  t.teardown(() => server.close());
  const ok = await server.app.inject({ method: 'POST', url: '/v1/inject', payload: admissionReview(webPod()) });
  t.equal(ok.statusCode, 200);
  t.equal(ok.json().response.patchType, 'JSONPatch');
  const bad = await server.app.inject({ method: 'POST', url: '/v1/inject', payload: { kind: 'Nope', apiVersion: 'x' } });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().code, 'DISC_ERR_INJECT_BAD_INPUT');
  const spec = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  t.ok(spec.paths['/v1/inject'].post, 'documented in OpenAPI');
});
