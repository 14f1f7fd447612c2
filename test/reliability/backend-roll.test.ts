import t from 'tap';
import { setTimeout as delay } from 'node:timers/promises';
import { ScenarioHarness } from './lib/scenario-harness.js';
import { readyEndpoint, type ScenarioMesh } from './lib/scenario-manifest.js';
import { LOAD_RATE } from './lib/scenario-constants.js';
import { firstFailures, perBackend, statusCounts, SteadyLoad } from './lib/steady-load.js';

/*
 * Faults under load: a rolling update of one backend, the Kubernetes way. A
 * new pod comes up; the old pod's sidecar gets SIGTERM and, at once, the
 * EndpointSlice marks it terminating (the two race in a cluster); the sidecar
 * drains, then the app stops and the endpoint goes. Retries are the
 * safe default (connect failures only): a request cut in flight would fail,
 * so zero failures means the drain finished every request it had accepted.
 */
const NET = '127.0.22';
const OLD = { pod: 'tomcat-1', address: `${NET}.12` };
const NEW = { pod: 'tomcat-3', address: `${NET}.14` };
const STAY = [
  { pod: 'tomcat-0', address: `${NET}.11` },
  { pod: 'tomcat-2', address: `${NET}.13` },
];

const MESH: ScenarioMesh = {
  namespace: 'rel-roll',
  webAddress: `${NET}.10`,
  services: [{ name: 'tomcat', ports: [8080], meshed: true, endpoints: [STAY[0], OLD, STAY[1]].map((b) => readyEndpoint(b!.pod, b!.address)) }],
  outboundValues: { 'tomcat:8080': { Retries: '2', RetryOn: 'connect-failure', MaxActiveRetries: '200' } },
};

// Process start-ups are slow on a busy 2-core machine; the scenario itself is bounded by its waits.
t.setTimeout(300_000);

t.test('a backend rolled (new pod, EndpointSlice update, SIGTERM drain) under load: zero failed requests', async (t) => {
  const h = await ScenarioHarness.start({ mesh: MESH, source: { kind: 'file' }, dir: t.testdir({}), discoverAddress: `${NET}.1` });
  t.teardown(() => h.close());
  await Promise.all([...[...STAY, OLD].map((b) => h.startBackend(b.pod, b.address, 'tomcat')), h.startWeb()]);
  await h.waitForEndpoints('tomcat', [...STAY, OLD].map((b) => b.address), 10_000);

  const load = new SteadyLoad({ origin: await h.origin('tomcat'), host: 'tomcat:8080', rate: LOAD_RATE, maxDurationMs: 60_000 });
  let report;
  let sidecarExit: number | null = null;
  let termAt = 0;
  try {
    await delay(1500);
    await h.startBackend(NEW.pod, NEW.address, 'tomcat');
    // The kubelet's SIGTERM and the EndpointSlice update race; the SIGTERM often wins.
    termAt = load.now();
    const sidecarStopped = h.processes.signal(`${OLD.pod} mesh-proxy`, 'SIGTERM', 10_000);
    await h.update((m) => ({
      ...m,
      services: [{ ...m.services[0]!, endpoints: [...STAY, NEW].map((b) => readyEndpoint(b.pod, b.address)).concat({ ...readyEndpoint(OLD.pod, OLD.address), ready: false, terminating: true }) }],
    }));
    sidecarExit = await sidecarStopped;
    const drainedAt = load.now();
    await h.processes.signal(`${OLD.pod} app`, 'SIGTERM');
    await h.waitForEndpoints('tomcat', [...STAY, NEW].map((b) => b.address), 10_000);
    await h.update((m) => ({ ...m, services: [{ ...m.services[0]!, endpoints: [...STAY, NEW].map((b) => readyEndpoint(b.pod, b.address)) }] }));
    t.comment(`${OLD.pod}'s sidecar drained in ${Math.round(drainedAt - termAt)} ms after SIGTERM`);
    await delay(1500);
  } finally {
    report = await load.stop();
  }
  const after = report.samples.filter((s) => s.at > termAt);
  const cluster = await h.webCluster('tomcat');
  t.comment(
    `${report.sent} GETs at ${report.rate.toFixed(0)}/s over ${(report.durationMs / 1000).toFixed(1)} s: ${JSON.stringify(statusCounts(report.samples))}; ` +
      `per backend ${JSON.stringify(perBackend(report.samples))}; after the SIGTERM ${JSON.stringify(perBackend(after))}; ` +
      `retries ${cluster.retryBudget.retriesAllowed}`,
  );
  t.comment(`SIGTERM at ${Math.round(termAt)} ms; ${OLD.pod} sidecar log:\n${h.processes.exitedTail(`${OLD.pod} mesh-proxy`)}`);
  t.equal(sidecarExit, 0, 'the old sidecar drained and exited 0');
  t.equal(report.failed, 0, `zero failed client requests; first failures: ${firstFailures(report.samples).join(' | ')}`);
  t.equal(report.samples.length, report.sent, 'every request answered');
  t.ok((perBackend(after)[NEW.pod] ?? 0) > 0, `${NEW.pod} took traffic`);
});
