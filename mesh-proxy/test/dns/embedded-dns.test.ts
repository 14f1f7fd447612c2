import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MeshDocument } from '@meshplug/plugin-api';
import t from 'tap';
import { MeshProxy, type ProxyConfigView } from '../../src/index.js';
import { endpoint, meshDoc, NS, outbound, SVC } from '../helpers/mesh-doc.js';
import { freePort, httpRequest, startUpstream, waitFor } from '../helpers/net.js';
import { startHarness } from '../helpers/proxy-harness.js';

// Listeners of this file live on 127.77.8.x.
const PORT = 8080;

/** A document whose `dns` table names `tomcat` (and its longer forms) at `vip`. */
function withDns(version: string, vip: string, upstreamPort: number): MeshDocument {
  const doc = meshDoc(version, { outbound: [outbound(vip, PORT, [endpoint('127.0.0.1', upstreamPort)])] });
  doc.dns.records = [
    {
      names: ['tomcat', `tomcat.${NS}`, `tomcat.${NS}.svc`, `tomcat.${NS}.svc.cluster.local`],
      service: `${NS}/tomcat`,
      address: vip,
      ports: [{ name: 'http', port: PORT, protocol: 'http' }],
    },
  ];
  return doc;
}

function resolverAt(listen: string): Resolver {
  const resolver = new Resolver({ timeout: 1000, tries: 2 });
  resolver.setServers([listen]);
  return resolver;
}

const upstream = await startUpstream((req, res) => {
  req.resume();
  req.on('end', () => res.end('tomcat'));
});
t.teardown(() => upstream.close());

t.test('the proxy hosts the DNS server, fed from the documents it applies', async (t) => {
  const h = await startHarness(withDns('v1', '127.77.8.1', upstream.port), { dns: { listen: '127.0.0.1:0' } });
  t.teardown(() => h.close());
  const dns = h.proxy.config().dns;
  t.ok(dns, '/config shows the DNS server');
  t.equal(dns?.version, 'v1', 'the table of the applied version');
  t.ok((dns?.names ?? 0) >= 4, 'its names');
  t.equal(dns?.metrics, null, 'no metrics endpoint unless asked for');
  const resolver = resolverAt(dns!.listen);
  t.same(await resolver.resolve4(`tomcat.${NS}.svc.cluster.local`), ['127.77.8.1']);
  t.equal((await httpRequest(`http://127.77.8.1:${PORT}/`)).body.toString(), 'tomcat', 'the name leads to a VIP the proxy listens on');

  await h.publish(withDns('v2', '127.77.8.2', upstream.port));
  t.same(await resolver.resolve4('tomcat.shop'), ['127.77.8.2'], 'a new version moves the name');
  t.equal(h.proxy.config().dns?.version, 'v2');
  const body = (await (await fetch(`${h.admin}/config`)).json()) as ProxyConfigView;
  t.equal(body.dns?.version, 'v2', 'the admin API shows it too');
  t.ok(
    h.discover.polls.every((p) => p['x-meshplug-proxy-kind'] === 'mesh-proxy'),
    'one follower: every poll is the proxy, reporting the version it applied for both',
  );
});

t.test('without discover-service the DNS answers from the state dir from the first query', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-proxy-dns-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const first = await startHarness(withDns('v5', '127.77.8.3', upstream.port), { stateDir: dir, dns: { listen: '127.0.0.1:0' } });
  await waitFor(async () => (await readFile(join(dir, 'mesh.json'), 'utf8').catch(() => '')).includes('"v5"'), 5000, 'state file');
  await first.close();

  const proxy = new MeshProxy({
    configUrl: `http://127.0.0.1:${await freePort()}`,
    namespace: NS,
    service: SVC,
    adminAddress: '127.0.0.1:0',
    stateDir: dir,
    // The listeners wait for the grace; the DNS must not.
    startupGraceMs: 60_000,
    discoverMinBackoffMs: 50,
    discoverMaxBackoffMs: 100,
    dns: { listen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' },
  });
  await proxy.start();
  t.teardown(() => proxy.stop());
  const dns = proxy.config().dns!;
  t.equal(dns.version, 'v5', 'the saved table is served before any document is applied');
  t.same(await resolverAt(dns.listen).resolve4('tomcat'), ['127.77.8.3']);
  const ready = await fetch(`http://${dns.metrics!}/ready`);
  t.equal(ready.status, 200, "dns-shim's own /ready, when asked for");
  t.match(await (await fetch(`http://${dns.metrics!}/stats`)).text(), /meshplug_dns_queries_total/, 'and its metrics');
});

t.test('a DNS address that cannot be bound fails start and leaves nothing open', async (t) => {
  const taken = new MeshProxy({
    configUrl: `http://127.0.0.1:${await freePort()}`,
    namespace: NS,
    service: SVC,
    adminAddress: '127.0.0.1:0',
    dns: { listen: '127.0.0.1:0' },
  });
  await taken.start();
  t.teardown(() => taken.stop());
  const adminPort = await freePort();
  const clash = new MeshProxy({
    configUrl: `http://127.0.0.1:${await freePort()}`,
    namespace: NS,
    service: SVC,
    adminAddress: `127.0.0.1:${adminPort}`,
    dns: { listen: taken.config().dns!.listen },
  });
  await t.rejects(clash.start(), { code: 'DNS_ERR_LISTEN' });
  const admin = await fetch(`http://127.0.0.1:${adminPort}/ready`).catch((err: Error) => err);
  t.ok(admin instanceof Error, 'the admin API was never opened');
});

t.test('no DNS unless asked for', async (t) => {
  const h = await startHarness(withDns('v1', '127.77.8.4', upstream.port));
  t.teardown(() => h.close());
  t.equal(h.proxy.config().dns, null);
});
