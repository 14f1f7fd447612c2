import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { DiscoverClient, discoverOptionsFromEnv, isDiscoverHttpError, silentLogger, TOKEN_VOLUME } from '@meshplug/plugin-api';
import { FakeApiServer } from '../../../test/fake-apiserver/index.js';
import { parseServeArgs, startServe } from '../../src/cli/serve-command.js';
import { runCli } from '../../src/cli/main.js';
import { admissionReview } from '../inject/fixtures.js';
import { captureIo } from './capture-io.js';

const SHOP = fileURLToPath(new URL('../../../manifests/examples/shop.yaml', import.meta.url));

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

t.test('--auth and --ops-listen parse; access control turns the injector option on', async (t) => {
  const off = parseServeArgs(['--source', 'kube'], {})!;
  t.same(off.auth, { kind: 'none' }, 'off by default');
  t.equal(off.ops, undefined);
  t.equal(off.inject.inject.accessControl, false);
  const on = parseServeArgs(['--source', 'file:/x.yaml', '--kubeconfig', '/k', '--ops-listen', '127.0.0.1:6101'], { MESHPLUG_AUTH: 'tokenreview' })!;
  t.same(on.auth, { kind: 'tokenreview', kubeconfig: '/k' }, 'MESHPLUG_AUTH works too');
  t.same(on.ops, { host: '127.0.0.1', port: 6101 });
  t.equal(on.inject.inject.accessControl, true);
  const io = captureIo();
  t.equal(await runCli('serve', ['--source', 'kube', '--auth', 'basic'], io), 2);
  t.match(io.err(), /--auth basic: use none or tokenreview/);
  const help = captureIo();
  t.equal(await runCli('serve', ['--help'], help), 0);
  t.match(help.out(), /--auth VALUE .*tokenreview.*\(default: none\) \[env MESHPLUG_AUTH\]/);
  t.match(help.out(), /--ops-listen VALUE .*\[env MESHPLUG_OPS_LISTEN\]/);
});

t.test('serve --auth tokenreview --ops-listen --webhook-listen: pod tokens, ops apart, webhook injects the token', { skip: !hasOpenssl && 'openssl not installed' }, async (t) => {
  const fake = await FakeApiServer.start({ users: { 'shop-token': { username: 'system:serviceaccount:shop:web' } } });
  t.teardown(() => fake.close());
  const dir = t.testdir({ kubeconfig: fake.kubeconfigYaml(), token: 'shop-token' });
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'),
  ], { stdio: 'ignore' });
  const config = parseServeArgs(
    [
      '--source', `file:${SHOP}`, '--listen', '127.0.0.1:0', '--auth', 'tokenreview', '--kubeconfig', join(dir, 'kubeconfig'),
      '--ops-listen', '127.0.0.1:0', '--webhook-listen', '127.0.0.1:0', '--tls-cert', join(dir, 'tls.crt'), '--tls-key', join(dir, 'tls.key'),
    ],
    {},
  )!;
  const running = await startServe(config, silentLogger());
  t.teardown(() => running.close());
  await running.ready;
  const { url, opsUrl, webhookUrl } = running;

  // The SDK as an injected plugin container runs it: DISCOVER_URL plus MESHPLUG_TOKEN_FILE.
  const client = new DiscoverClient(
    discoverOptionsFromEnv({ DISCOVER_URL: `${url}/v1/resources/shop/web/net-governance`, MESHPLUG_TOKEN_FILE: join(dir, 'token') }),
  );
  const spec = await client.resources('shop', 'web', 'net-governance');
  t.same(spec.base_normal, { options: { LOG_LEVEL: 'debug' } }, "shop's DISCOVER_URL");
  t.equal((await client.get('/v1/mesh/shop/web')).status, 200, "shop's /v1/mesh");
  const forbidden = await client.get('/v1/mesh/cache/redis').catch((err: unknown) => err);
  t.ok(isDiscoverHttpError(forbidden) && forbidden.status === 403 && forbidden.serverCode === 'DISC_ERR_FORBIDDEN', 'another namespace is 403');
  t.equal((await fetch(`${url}/v1/mesh/shop/web`)).status, 401, 'no token is 401');
  t.ok(fake.requestCount('review', 'tokenreviews') >= 1, 'checked by TokenReview against the cluster');

  t.equal((await fetch(`${url}/v1/routes`)).status, 404, 'ops routes left the sidecar-facing port');
  t.equal((await fetch(`${opsUrl}/v1/routes`)).status, 200, 'and are on --ops-listen');
  t.equal((await fetch(`${url}/readyz`)).status, 200);
  t.equal((await fetch(`${opsUrl}/readyz`)).status, 200);
  t.equal((await fetch(`${url}/v1/inject`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status, 404, 'no webhook on the plain port');

  const tls = new Agent({ connect: { ca: readFileSync(join(dir, 'tls.crt')) } });
  t.teardown(() => tls.close());
  const pod = { metadata: { name: 'web-abc', namespace: 'shop', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ name: 'http', containerPort: 8080 }] }] } };
  const res = await request(`${webhookUrl}/v1/inject`, {
    method: 'POST',
    dispatcher: tls,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admissionReview(pod)),
  });
  t.equal(res.statusCode, 200, 'the API server needs no pod token on the webhook listener');
  const review = (await res.body.json()) as { response: { patch?: string } };
  const patch = JSON.parse(Buffer.from(review.response.patch ?? '', 'base64').toString()) as { path: string; value: any }[];
  const spec2 = patch.find((op) => op.path === '/spec')?.value;
  t.match(spec2?.volumes, [{}, { name: TOKEN_VOLUME, projected: { sources: [{ serviceAccountToken: { audience: 'meshplug', expirationSeconds: 3600 } }] } }]);
  t.ok(
    spec2?.containers.filter((c: { name: string }) => c.name !== 'web').every((c: { env: { name: string }[] }) => c.env.some((e) => e.name === 'MESHPLUG_TOKEN_FILE')),
    'every plugin container gets MESHPLUG_TOKEN_FILE',
  );
  const onWebhook = await request(`${webhookUrl}/v1/mesh/shop/web`, { dispatcher: tls });
  await onWebhook.body.dump();
  t.equal(onWebhook.statusCode, 404, 'no unauthenticated way to the config documents through the webhook port');
  writeFileSync(join(dir, 'token'), 'rotated-unknown');
  const rotated = await client.get('/v1/mesh/shop/web').catch((err: unknown) => err);
  t.ok(isDiscoverHttpError(rotated) && rotated.status === 401, 'a token the cluster does not know is 401');
});

t.test('--auth tokenreview without any cluster configuration fails at startup, naming why', async (t) => {
  const config = parseServeArgs(['--source', `file:${SHOP}`, '--listen', '127.0.0.1:0', '--auth', 'tokenreview', '--kubeconfig', '/nonexistent/kubeconfig'], {})!;
  await t.rejects(startServe(config, silentLogger()), { code: 'DISC_ERR_KUBE_CONFIG', message: /\/nonexistent\/kubeconfig/ });
});
