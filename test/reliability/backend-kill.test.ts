import t from 'tap';
import { setTimeout as delay } from 'node:timers/promises';
import { waitUntil } from '../bench/lib/timing.js';
import { ScenarioHarness } from './lib/scenario-harness.js';
import { readyEndpoint, type ScenarioMesh } from './lib/scenario-manifest.js';
import { firstFailures, perBackend, statusCounts, SteadyLoad } from './lib/steady-load.js';
import { LOAD_RATE } from './lib/scenario-constants.js';

/*
 * Faults under load: one of three backends SIGKILLed (app and sidecar) while
 * web sends a steady stream of GETs by name. Retries (RetryOn reset and
 * connect failures) and outlier ejection (ConsecutiveErrors) must hide it:
 * no client request fails, the endpoint is ejected within a second, and it
 * takes traffic again once it is back.
 */
const NET = '127.0.21';
const BACKENDS = ['tomcat-0', 'tomcat-1', 'tomcat-2'].map((pod, i) => ({ pod, address: `${NET}.${11 + i}` }));
const VICTIM = BACKENDS[1] as { pod: string; address: string };
const BASE_EJECTION_MS = 2000;

const MESH: ScenarioMesh = {
  namespace: 'rel-kill',
  webAddress: `${NET}.10`,
  services: [{ name: 'tomcat', ports: [8080], meshed: true, endpoints: BACKENDS.map((b) => readyEndpoint(b.pod, b.address)) }],
  outboundValues: {
    'tomcat:8080': {
      Retries: '3',
      RetryOn: 'gateway-error,reset,connect-failure',
      MaxActiveRetries: '200',
      ConsecutiveErrors: '3',
      BaseEjectionTimeMS: String(BASE_EJECTION_MS),
      MaxEjectionPercent: '50',
      ConnectionTimeout: '250',
    },
  },
};

// Process start-ups are slow on a busy 2-core machine; the scenario itself is bounded by its waits.
t.setTimeout(300_000);

t.test('one of three backends SIGKILLed under load: zero failed requests, ejected within 1 s, back after it returns', async (t) => {
  const h = await ScenarioHarness.start({ mesh: MESH, source: { kind: 'file' }, dir: t.testdir({}), discoverAddress: `${NET}.1` });
  t.teardown(() => h.close());
  await Promise.all([...BACKENDS.map((b) => h.startBackend(b.pod, b.address, 'tomcat')), h.startWeb()]);
  await h.waitForEndpoints('tomcat', BACKENDS.map((b) => b.address), 10_000);

  const load = new SteadyLoad({ origin: await h.origin('tomcat'), host: 'tomcat:8080', rate: LOAD_RATE, maxDurationMs: 40_000 });
  let report;
  try {
    await delay(1500);
    const killedAt = load.now();
    const killedEpoch = Date.now();
    await Promise.all([h.processes.signal(`${VICTIM.pod} app`, 'SIGKILL'), h.processes.signal(`${VICTIM.pod} mesh-proxy`, 'SIGKILL')]);
    // The proxy says when it ejected: ejectedUntil - BaseEjectionTimeMS on the first ejection (same clock, same machine).
    let firstEjection: number | undefined;
    let seen = '';
    await waitUntil(
      `${VICTIM.address} ejected`,
      async () => {
        const e = (await h.webCluster('tomcat')).endpoints.find((x) => x.address === VICTIM.address);
        if (e?.ejectionCount === 1 && e.ejectedUntil !== null) firstEjection = e.ejectedUntil - BASE_EJECTION_MS;
        seen = JSON.stringify(e);
        return (e?.ejectionCount ?? 0) >= 1;
      },
      10_000,
      10,
    );
    if (firstEjection === undefined) throw new Error(`the first ejection was over before /clusters was read: ${seen}, killed at ${killedEpoch}`);
    const ejectedMs = firstEjection - killedEpoch;
    t.comment(`SIGKILL ${VICTIM.pod}: ejected after ${Math.round(ejectedMs)} ms`);
    t.ok(ejectedMs <= 1000, `ejected within 1 s of the kill (${Math.round(ejectedMs)} ms)`);

    await delay(Math.max(0, killedAt + 3000 - load.now()));
    await h.startBackend(VICTIM.pod, VICTIM.address, 'tomcat');
    const backAt = load.now();
    await waitUntil(
      `${VICTIM.pod} taking traffic again`,
      async () => load.answered().filter((s) => s.at > backAt && s.backend === VICTIM.pod).length >= 20,
      30_000,
      50,
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify((await h.webCluster('tomcat')).endpoints)} now ${Date.now()}`);
    });
    t.comment(`${VICTIM.pod} restarted ${Math.round(backAt - killedAt)} ms after the kill; traffic back ${Math.round(load.now() - backAt)} ms after its return`);
    // A little more steady traffic over all three.
    await delay(1000);
  } finally {
    report = await load.stop();
  }
  const cluster = await h.webCluster('tomcat');
  t.comment(
    `${report.sent} GETs at ${report.rate.toFixed(0)}/s over ${(report.durationMs / 1000).toFixed(1)} s: ${JSON.stringify(statusCounts(report.samples))}; ` +
      `per backend ${JSON.stringify(perBackend(report.samples))}; retries ${cluster.retryBudget.retriesAllowed} (denied ${cluster.retryBudget.retriesDenied})`,
  );
  t.equal(report.failed, 0, `zero failed client requests; first failures: ${firstFailures(report.samples).join(' | ')}`);
  t.equal(report.samples.length, report.sent, 'every request answered');
});
