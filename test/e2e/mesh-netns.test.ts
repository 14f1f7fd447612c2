import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { injectPod, resolveInjectOptions, type PodTemplate } from '@meshplug/plugin-api';
import { ChildGroup } from '../../discover-service/src/demo/process/child-group.js';
import { DEMO_APP_SCRIPT, meshplugCommand, nodeScript, REPO_ROOT } from '../../discover-service/src/demo/process/meshplug-command.js';
import { waitUntil, type ProbeResult } from '../../discover-service/src/demo/process/wait-until.js';
import { containerArgs, containerEnv } from './lib/container-process.js';
import { governancePlugin, meshManifest, NAMESPACE, SERVICES, type ServiceName, type SlicePod } from './lib/e2e-mesh.js';
import { nsDigA, nsHttpOk } from './lib/ns-probes.js';
import { PodNetwork, type NetPod } from './lib/pod-network.js';
import { nsExec, runCommand } from './lib/run-command.js';

/*
 * The mesh end to end, pods as network namespaces: each pod runs its app and
 * the one sidecar container of its injected pod spec (mesh-proxy serving the
 * pod DNS too), with env and args as the kubelet would give them; web's resolv.conf is the injected
 * dnsConfig; discover-service and the cluster DNS run in the "node" namespace
 * behind a bridge. Real clients (curl, getent, node's net) in the web pod reach
 * the backends by name.
 */

const NODE_IP = '198.18.0.1';
const DISCOVER_PORT = 6100;
// Generous for a loaded CI machine (a node process can take seconds to start); a good run takes ~25 s in all.
const STEP_MS = 30_000;
const EXTERNAL = { name: 'ext.example.test', address: '198.18.9.9' };

interface PodDef {
  name: string;
  service: ServiceName;
  address: string;
}

const PODS: PodDef[] = [
  { name: 'web', service: 'web', address: '198.18.0.10' },
  { name: 'tomcat-0', service: 'tomcat', address: '198.18.0.11' },
  { name: 'tomcat-1', service: 'tomcat', address: '198.18.0.12' },
  { name: 'tomcat-2', service: 'tomcat', address: '198.18.0.13' },
  { name: 'echo-0', service: 'echo', address: '198.18.0.20' },
];

async function skipReason(): Promise<string | false> {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  for (const tool of ['ip', 'curl', 'dig', 'getent']) {
    if ((await runCommand('sh', ['-c', `command -v ${tool}`], 5000)).code !== 0) return `${tool} is not installed`;
  }
  const probe = `mp-e2e-${randomBytes(3).toString('hex')}-probe`;
  const made = await runCommand('ip', ['netns', 'add', probe], 5000);
  if (made.code !== 0) return `cannot create network namespaces: ${made.stderr.trim()}`;
  await runCommand('ip', ['netns', 'del', probe], 5000);
  return false;
}

function appTemplate(pod: PodDef): PodTemplate {
  const { port, portName } = SERVICES[pod.service];
  return {
    metadata: { name: pod.name, namespace: NAMESPACE, labels: { app: pod.service } },
    spec: { containers: [{ name: 'app', image: 'demo-app', ports: [{ name: portName, containerPort: port }] }] },
  };
}

/** Backend names in curl's concatenated bodies, counted. */
function tally(output: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of output.split('\n').filter(Boolean)) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

const reason = await skipReason();
t.test('mesh in network namespaces', { skip: reason }, async (t) => {
  t.ok(existsSync(DEMO_APP_SCRIPT), 'built (npm run build) before the end-to-end test');
  const id = randomBytes(3).toString('hex');
  const net = new PodNetwork(id, NODE_IP);
  const children = new ChildGroup();
  const dir = await mkdtemp(join(tmpdir(), `mp-e2e-${id}-`));
  t.teardown(async () => {
    await children.stopAll(3000);
    await net.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  const wait = <T>(what: string, probe: () => Promise<ProbeResult<T>>): Promise<T> =>
    waitUntil(probe, { what, timeoutMs: STEP_MS, intervalMs: 200, children });
  const inPod = (pod: NetPod): string[] => ['ip', 'netns', 'exec', pod.ns];

  await net.createNode();
  const pods = new Map<string, NetPod>();
  for (const def of PODS) pods.set(def.name, await net.addPod(def.name, def.address));
  const web = pods.get('web') as NetPod;

  // Every pod injected as the webhook would; its sidecars' state dir is its own "emptyDir".
  const injected = PODS.map((def) => {
    const options = resolveInjectOptions({
      discoverHost: NODE_IP,
      discoverPort: DISCOVER_PORT,
      upstreamDns: `${NODE_IP}:53`,
      stateDir: join(dir, def.name),
    });
    const target = { namespace: NAMESPACE, service: def.service, appPorts: [SERVICES[def.service].port], plugins: [governancePlugin()] };
    return { def, ...injectPod(appTemplate(def), target, options) };
  });
  const slicePods: SlicePod[] = injected.map(({ def, inbound }) => ({ ...def, outerPort: inbound[0]?.outerPort ?? 0 }));
  t.ok(slicePods.every((p) => p.outerPort >= 65301 && p.outerPort <= 65400), 'every pod got an outer port');

  const manifest = join(dir, 'mesh.yaml');
  const writeManifest = async (list: SlicePod[]): Promise<void> => {
    await writeFile(`${manifest}.tmp`, meshManifest(list));
    await rename(`${manifest}.tmp`, manifest);
  };
  await writeManifest(slicePods);

  const webPod = injected.find((p) => p.def.name === 'web')?.pod as PodTemplate;
  const dns = webPod.spec.dnsConfig ?? {};
  t.equal(webPod.spec.dnsPolicy, 'None', 'injected web pod has dnsPolicy None');
  await net.writeResolvConf(
    web,
    [
      ...(dns.nameservers ?? []).map((s) => `nameserver ${s}`),
      `search ${(dns.searches ?? []).join(' ')}`,
      `options ${(dns.options ?? []).map((o) => (o.value === undefined ? o.name : `${o.name}:${o.value}`)).join(' ')}`,
    ].join('\n') + '\n',
  );

  const upstreamArgs = [NODE_IP, '53', `${EXTERNAL.name}=${EXTERNAL.address}`];
  const upstreamScript = join(REPO_ROOT, 'test', 'e2e', 'fake-upstream-dns-main.ts');
  children.start(nodeScript('upstream-dns', upstreamScript, upstreamArgs, { prefix: inPod(net.node), nodeArgs: ['--import', 'tsx'] }));
  children.start(
    meshplugCommand('discover-service', 'serve', ['--source', `file:${manifest}`, '--listen', `${NODE_IP}:${DISCOVER_PORT}`], { prefix: inPod(net.node) }),
  );
  await wait('discover-service /readyz', () => nsHttpOk(net.node.ns, `http://${NODE_IP}:${DISCOVER_PORT}/readyz`));

  for (const { def, pod } of injected) {
    const netPod = pods.get(def.name) as NetPod;
    await mkdir(join(dir, def.name), { recursive: true });
    const { port } = SERVICES[def.service];
    // On loopback only: nothing reaches the app but through its inbound sidecar. (An app on 0.0.0.0:8080
    // would also block web's outbound listener <tomcat VIP>:8080: a wildcard bind owns the port.)
    const appArgs = ['--name', def.name, '--host', '127.0.0.1', ...(def.service === 'echo' ? ['--http-port', '8080', '--tcp-port', String(port)] : ['--http-port', String(port)])];
    children.start(nodeScript(`${def.name} app`, DEMO_APP_SCRIPT, appArgs, { prefix: inPod(netPod) }));
    const facts = { name: def.name, namespace: NAMESPACE, podIP: def.address, hostIP: NODE_IP };
    const sidecars = pod.spec.containers.filter((c) => c.name !== 'app');
    for (const c of sidecars) {
      const [command, ...args] = containerArgs(c);
      children.start(meshplugCommand(`${def.name} ${c.name}`, command as string, args, { prefix: inPod(netPod), env: containerEnv(c, facts) }));
    }
    t.same(
      sidecars.map((c) => [c.name, containerArgs(c)[0], containerEnv(c, facts).MESHPLUG_DNS_LISTEN]),
      [['plugin-net-governance', 'proxy', '127.0.0.1:53']],
      `${def.name}: one sidecar process, mesh-proxy serving the pod DNS`,
    );
  }
  for (const netPod of pods.values()) {
    await wait(`${netPod.name} mesh-proxy /ready`, () => nsHttpOk(netPod.ns, 'http://127.0.0.1:15000/ready'));
  }
  const vip = await wait('web DNS answering', () => nsDigA(web.ns, '127.0.0.1', `tomcat.${NAMESPACE}.svc.cluster.local`));
  t.match(vip, /^127\.(?!0\.)\d+\.\d+\.\d+$/, 'tomcat resolves to a loopback VIP outside 127.0.0.0/16');
  // The poll after an apply carries the applied version: wait for it rather than race it.
  const webRows = await wait('web synced in /v1/proxies', async () => {
    const got = await nsHttpOk(net.node.ns, `http://${NODE_IP}:${DISCOVER_PORT}/v1/proxies`);
    if (!got.ok) return got;
    const rows = (JSON.parse(got.value) as { items: { id: string; kind: string; stale: boolean }[] }).items.filter((p) => p.id === 'web');
    return rows.some((p) => p.stale) ? { ok: false, reason: `stale: ${JSON.stringify(rows)}` } : { ok: true, value: rows };
  });
  t.same(webRows.map((p) => p.kind), ['mesh-proxy'], "web's one sidecar reports the version it applied for proxy and DNS alike");

  const backends = ['tomcat-0', 'tomcat-1', 'tomcat-2'];
  const curl = async (url: string, times: number): Promise<Map<string, number>> => {
    const r = await nsExec(web.ns, ['curl', '-s', '-S', '-m', '5', '--fail', ...Array<string>(times).fill(url)], 20_000);
    t.equal(r.code, 0, `curl ${url} x${times} succeeded ${r.stderr.trim()}`);
    return tally(r.stdout);
  };

  for (const url of ['http://tomcat:8080/', `http://tomcat.${NAMESPACE}.svc.cluster.local:8080/`]) {
    const counts = await curl(url, 12);
    t.same([...counts.keys()].sort(), backends, `${url} spreads over the three backends: ${JSON.stringify([...counts])}`);
    t.equal([...counts.values()].reduce((a, b) => a + b, 0), 12, 'every request answered by a backend');
  }

  // Both hops: web's outbound cluster sent to the outer ports, each backend's inbound listener to its app.
  const clusters = JSON.parse(await wait('web /clusters', () => nsHttpOk(web.ns, 'http://127.0.0.1:15000/clusters'))) as {
    clusters: { name: string; direction: string; endpoints: { address: string; port: number; total: number }[] }[];
  };
  const outbound = clusters.clusters.find((c) => c.direction === 'outbound' && c.name === `${NAMESPACE}/tomcat:8080`);
  const tomcatOuter = slicePods.find((p) => p.service === 'tomcat')?.outerPort;
  t.same(
    outbound?.endpoints.map((e) => `${e.address}:${e.port}`).sort(),
    ['198.18.0.11', '198.18.0.12', '198.18.0.13'].map((a) => `${a}:${String(tomcatOuter)}`),
    'web balances over the backends at their outer ports',
  );
  t.ok(outbound?.endpoints.every((e) => e.total > 0), 'each backend took requests from web');
  for (const name of backends) {
    const own = JSON.parse(await wait(`${name} /clusters`, () => nsHttpOk((pods.get(name) as NetPod).ns, 'http://127.0.0.1:15000/clusters'))) as typeof clusters;
    const inbound = own.clusters.find((c) => c.direction === 'inbound');
    t.ok((inbound?.endpoints[0]?.total ?? 0) > 0, `${name}: its inbound sidecar forwarded to the app`);
  }

  // Take tomcat-2 out of the EndpointSlice: traffic leaves it within a bounded wait.
  await writeManifest(slicePods.filter((p) => p.name !== 'tomcat-2'));
  await wait('traffic to leave tomcat-2', async () => {
    const counts = await curl('http://tomcat:8080/', 6);
    return counts.has('tomcat-2') ? { ok: false, reason: `still answered: ${JSON.stringify([...counts])}` } : { ok: true, value: counts };
  });
  const after = await curl('http://tomcat:8080/', 9);
  t.same([...after.keys()].sort(), ['tomcat-0', 'tomcat-1'], `after the edit only tomcat-0 and tomcat-1 answer: ${JSON.stringify([...after])}`);

  const getent = await nsExec(web.ns, ['getent', 'hosts', EXTERNAL.name], 10_000);
  t.match(getent.stdout, new RegExp(`^${EXTERNAL.address.replace(/\./g, '\\.')}\\s+${EXTERNAL.name}`), 'a non-mesh name resolves through the upstream DNS');

  const echo = await nsExec(
    web.ns,
    [
      process.execPath,
      '-e',
      "const s=require('net').connect(7000,'echo',()=>s.end('hello-mesh'));let d='';s.setEncoding('utf8');" +
        "s.on('data',c=>d+=c);s.on('end',()=>process.stdout.write(d));setTimeout(()=>process.exit(2),5000).unref();",
    ],
    10_000,
  );
  t.equal(echo.stdout, 'hello-mesh', `TCP dependency echo:7000 echoes through the mesh ${echo.stderr.trim()}`);
});
