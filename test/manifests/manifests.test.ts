import t from 'tap';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { validateKubeObject } from './kube-schema.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function kustomize(dir: string): Record<string, any>[] {
  const out = execFileSync('kubectl', ['kustomize', `${root}${dir}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return parseAllDocuments(out).map((d) => d.toJS() as Record<string, any>);
}

t.test('kustomize base renders and every object is valid', { skip: !hasKubectl && 'kubectl not installed' }, async (t) => {
  const objects = kustomize('manifests/base');
  const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
  for (const want of [
    'Namespace/meshplug-system',
    'ServiceAccount/meshplug-discover',
    'ClusterRole/meshplug-discover',
    'ClusterRoleBinding/meshplug-discover',
    'Deployment/meshplug-discover',
    'Service/meshplug-discover',
    'PodDisruptionBudget/meshplug-discover',
    'MutatingWebhookConfiguration/meshplug-inject',
    'ConfigMap/plugin-net-governance-1.0.0',
  ]) {
    t.ok(kinds.includes(want), `renders ${want}`);
  }
  for (const o of objects) await t.resolves(validateKubeObject(o), `${o.kind} ${o.metadata.name} is valid`);
  for (const o of objects.filter((o) => o.kind !== 'Namespace' && !String(o.kind).startsWith('Cluster') && o.kind !== 'MutatingWebhookConfiguration')) {
    t.equal(o.metadata.namespace, 'meshplug-system', `${o.kind} ${o.metadata.name} is namespaced`);
  }
});

t.test('RBAC of discover-service is read-only', { skip: !hasKubectl && 'kubectl not installed' }, async (t) => {
  const role = kustomize('manifests/base').find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'meshplug-discover')!;
  const verbs = new Set(role.rules.flatMap((r: { verbs: string[] }) => r.verbs));
  t.same([...verbs].sort(), ['get', 'list', 'watch']);
  const resources = role.rules.flatMap((r: { resources: string[] }) => r.resources).sort();
  t.same(resources, ['configmaps', 'endpoints', 'endpointslices', 'services']);
});

t.test('the deployment has probes, resources and a PDB', { skip: !hasKubectl && 'kubectl not installed' }, async (t) => {
  const objects = kustomize('manifests/base');
  const dep = objects.find((o) => o.kind === 'Deployment')!;
  const c = dep.spec.template.spec.containers[0];
  t.equal(c.readinessProbe.httpGet.path, '/readyz');
  t.equal(c.livenessProbe.httpGet.path, '/healthz');
  t.ok(c.resources.requests.memory && c.resources.limits.memory);
  const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget')!;
  t.same(pdb.spec.selector.matchLabels, dep.spec.selector.matchLabels);
});

t.test('the worked example renders and is valid', { skip: !hasKubectl && 'kubectl not installed' }, async (t) => {
  const objects = kustomize('manifests/examples/app');
  t.ok(objects.length >= 5);
  for (const o of objects) await t.resolves(validateKubeObject(o), `${o.kind} ${o.metadata.name} is valid`);
});

t.test('schema validation catches a broken object', async (t) => {
  await t.rejects(
    validateKubeObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'eighty' }] } } as never),
    /Service x: .*port/,
  );
  await t.rejects(validateKubeObject({ apiVersion: 'nope/v9', kind: 'Thing', metadata: { name: 'x' } }), /no schema for nope\/v9 Thing/);
});

t.test('the access-control overlay renders, is valid, and adds only TokenReview to RBAC', { skip: !hasKubectl && 'kubectl not installed' }, async (t) => {
  const objects = kustomize('manifests/overlays/access-control');
  for (const o of objects) await t.resolves(validateKubeObject(o), `${o.kind} ${o.metadata.name} is valid`);
  const base = kustomize('manifests/base').map((o) => `${o.kind}/${o.metadata.name}`);
  const added = objects.map((o) => `${o.kind}/${o.metadata.name}`).filter((k) => !base.includes(k)).sort();
  t.same(added, ['ClusterRole/meshplug-discover-tokenreview', 'ClusterRoleBinding/meshplug-discover-tokenreview', 'NetworkPolicy/meshplug-discover']);
  const role = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'meshplug-discover-tokenreview')!;
  t.same(role.rules, [{ apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] }]);
  const binding = objects.find((o) => o.kind === 'ClusterRoleBinding' && o.metadata.name === 'meshplug-discover-tokenreview')!;
  t.same(binding.subjects, [{ kind: 'ServiceAccount', name: 'meshplug-discover', namespace: 'meshplug-system' }]);
  const readOnly = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'meshplug-discover')!;
  t.same([...new Set(readOnly.rules.flatMap((r: { verbs: string[] }) => r.verbs))].sort(), ['get', 'list', 'watch'], 'the base role stays read-only');

  const container = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0];
  t.ok(container.args.includes('--auth=tokenreview'), 'discover-service checks tokens');
  t.ok(container.args.includes('--ops-listen=0.0.0.0:6101'), 'the ops API has its own port');
  t.match(container.ports, [{ name: 'http', containerPort: 6100 }, { name: 'webhook', containerPort: 8443 }, { name: 'ops', containerPort: 6101 }]);
  t.equal(container.readinessProbe.httpGet.port, 'http', 'probes stay on the config port (served on every listener)');

  const policy = objects.find((o) => o.kind === 'NetworkPolicy')!;
  t.equal(policy.metadata.namespace, 'meshplug-system');
  t.same(policy.spec.podSelector.matchLabels, objects.find((o) => o.kind === 'Deployment')!.spec.selector.matchLabels);
  const opsRule = policy.spec.ingress.find((r: { ports: { port: number }[] }) => r.ports.some((p) => p.port === 6101));
  t.ok(opsRule.from?.length > 0, 'the ops port is open to selected namespaces only');
});
