import t from 'tap';
import { setTimeout as delay } from 'node:timers/promises';
import { FakeApiServer } from '../fake-apiserver/index.js';
import { waitUntil } from '../bench/lib/timing.js';
import { ScenarioHarness } from './lib/scenario-harness.js';
import { readyEndpoint, type ScenarioMesh } from './lib/scenario-manifest.js';
import { LOAD_RATE } from './lib/scenario-constants.js';
import { firstFailures, perBackend, statusCounts, SteadyLoad } from './lib/steady-load.js';

/*
 * Faults under load: `meshplug serve --source kube` against the fake API
 * server. Every watch is cut; while they are down a backend leaves the
 * EndpointSlice, another joins, and the API server compacts its history, so
 * the watches' resume answers 410 Gone. The kube source must relist and the
 * mesh (discover-service and web's sidecar) converge to the cluster's state,
 * with no stale endpoint, within 5 s.
 */
const NET = '127.0.24';
const NAMESPACE = 'rel-kube';
const pods = ['tomcat-0', 'tomcat-1', 'tomcat-2', 'tomcat-3'].map((pod, i) => ({ pod, address: `${NET}.${11 + i}` }));
const [A, B, GONE, JOINS] = pods as [(typeof pods)[0], (typeof pods)[0], (typeof pods)[0], (typeof pods)[0]];
const CONVERGE_MS = 5000;

const MESH: ScenarioMesh = {
  namespace: NAMESPACE,
  webAddress: `${NET}.10`,
  services: [{ name: 'tomcat', ports: [8080], meshed: true, endpoints: [A, B, GONE].map((b) => readyEndpoint(b.pod, b.address)) }],
  outboundValues: { 'tomcat:8080': { Retries: '2', RetryOn: 'gateway-error,reset,connect-failure', MaxActiveRetries: '200' } },
};

t.setTimeout(300_000);

t.test('kube watches cut, history compacted (410 Gone): the mesh converges with no stale endpoint within 5 s', async (t) => {
  const api = await FakeApiServer.start();
  t.teardown(() => api.close());
  const h = await ScenarioHarness.start({ mesh: MESH, source: { kind: 'kube', api }, dir: t.testdir({}), discoverAddress: `${NET}.1` });
  t.teardown(() => h.close());
  await Promise.all([...pods.map((b) => h.startBackend(b.pod, b.address, 'tomcat')), h.startProxy('web-0', MESH.webAddress, 'web')]);
  await h.waitForEndpoints('tomcat', [A, B, GONE].map((b) => b.address), 10_000);

  const load = new SteadyLoad({ origin: await h.origin('tomcat'), host: 'tomcat:8080', rate: LOAD_RATE, maxDurationMs: 60_000 });
  let report;
  let convergedAt = 0;
  try {
    await delay(1000);
    const lists = api.requestCount('list', 'endpointslices');
    const watches = api.openWatches();
    // All in one tick: the watches cannot see the change, and their resume finds the history gone.
    api.dropWatches('abrupt');
    const changed = h.update((m) => ({ ...m, services: [{ ...m.services[0]!, endpoints: [A, B, JOINS].map((b) => readyEndpoint(b.pod, b.address)) }] }));
    api.compact();
    await changed;
    const changedAt = load.now();
    await h.waitForEndpoints('tomcat', [A, B, JOINS].map((b) => b.address), 30_000);
    convergedAt = load.now();
    const doc = await h.webDocument();
    const served = doc.outbound.find((c) => c.service === 'tomcat')?.endpoints.map((e) => e.address).sort();
    t.comment(`${watches} watches cut; web-0's sidecar converged ${Math.round(convergedAt - changedAt)} ms after the change (${api.requestCount('list', 'endpointslices') - lists} relists of endpointslices)`);
    t.ok(convergedAt - changedAt <= CONVERGE_MS, `converged within ${CONVERGE_MS} ms (${Math.round(convergedAt - changedAt)} ms)`);
    t.same(served, [A, B, JOINS].map((b) => b.address).sort(), 'discover-service serves exactly the cluster state');
    t.ok(api.requestCount('list', 'endpointslices') > lists, 'the kube source relisted after 410 Gone');
    // The pod that left is gone for good now; the mesh must not notice.
    await h.processes.signal(`${GONE.pod} mesh-proxy`, 'SIGTERM');
    await h.processes.signal(`${GONE.pod} app`, 'SIGTERM');
    await waitUntil(`${JOINS.pod} serving`, async () => load.answered().some((s) => s.at > convergedAt && s.backend === JOINS.pod), 10_000, 50);
    await delay(1000);
  } finally {
    report = await load.stop();
  }
  const late = report.samples.filter((s) => s.at > convergedAt + 500 && s.backend === GONE.pod).length;
  t.comment(
    `${report.sent} GETs at ${report.rate.toFixed(0)}/s over ${(report.durationMs / 1000).toFixed(1)} s: ${JSON.stringify(statusCounts(report.samples))}; ` +
      `per backend ${JSON.stringify(perBackend(report.samples))}`,
  );
  t.equal(late, 0, `no request reached ${GONE.pod} after the mesh converged`);
  t.equal(report.failed, 0, `zero failed client requests; first failures: ${firstFailures(report.samples).join(' | ')}`);
});
