import t from 'tap';
import { Resolver } from 'node:dns/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { waitUntil } from '../bench/lib/timing.js';
import { POD_PORTS, ScenarioHarness } from './lib/scenario-harness.js';
import { readyEndpoint, type ScenarioMesh } from './lib/scenario-manifest.js';
import { LOAD_RATE, OUTAGE_MS } from './lib/scenario-constants.js';
import { firstFailures, perBackend, statusCounts, SteadyLoad } from './lib/steady-load.js';

/*
 * Faults under load: discover-service stopped for OUTAGE_MS while web keeps
 * calling tomcat. During the outage a backend's sidecar is restarted under
 * load, and so are web's own mesh-proxy and dns-shim: each must come back
 * from its state dir alone. Once discover-service is back, a
 * change made then (a new dependency) must reach both sidecars of web.
 */
const NET = '127.0.23';
const NAMESPACE = 'rel-outage';
const BACKENDS = ['tomcat-0', 'tomcat-1', 'tomcat-2'].map((pod, i) => ({ pod, address: `${NET}.${11 + i}` }));

const MESH: ScenarioMesh = {
  namespace: NAMESPACE,
  webAddress: `${NET}.10`,
  services: [{ name: 'tomcat', ports: [8080], meshed: true, endpoints: BACKENDS.map((b) => readyEndpoint(b.pod, b.address)) }],
  outboundValues: {
    'tomcat:8080': { Retries: '3', RetryOn: 'gateway-error,reset,connect-failure', MaxActiveRetries: '200', ConsecutiveErrors: '3', BaseEjectionTimeMS: '1000', MaxEjectionPercent: '50' },
  },
};

/** A of `name` from web-0's dns-shim. */
async function resolveAtWeb(name: string): Promise<string[]> {
  const resolver = new Resolver({ timeout: 1000, tries: 2 });
  resolver.setServers([`${NET}.10:${POD_PORTS.dns}`]);
  return resolver.resolve4(`${name}.${NAMESPACE}.svc.cluster.local`);
}

// Process start-ups are slow on a busy 2-core machine; the scenario itself is bounded by its waits.
t.setTimeout(300_000);

t.test(`discover-service down ${OUTAGE_MS / 1000} s, sidecars restarted meanwhile: zero failed requests, then they catch up`, async (t) => {
  const h = await ScenarioHarness.start({ mesh: MESH, source: { kind: 'file' }, dir: t.testdir({}), discoverAddress: `${NET}.1` });
  t.teardown(() => h.close());
  await Promise.all([...BACKENDS.map((b) => h.startBackend(b.pod, b.address, 'tomcat')), h.startWeb()]);
  await h.waitForEndpoints('tomcat', BACKENDS.map((b) => b.address), 10_000);
  const tomcatVip = new URL(await h.origin('tomcat')).hostname;
  t.same(await resolveAtWeb('tomcat'), [tomcatVip], 'dns-shim answers tomcat before the outage');

  const load = new SteadyLoad({ origin: await h.origin('tomcat'), host: 'tomcat:8080', rate: LOAD_RATE, maxDurationMs: OUTAGE_MS + 120_000 });
  let report;
  let pausedMs = 0;
  try {
    await delay(1000);
    await h.stopDiscover();
    const downAt = load.now();
    const restarted = BACKENDS[1]!;
    t.equal(await h.processes.signal(`${restarted.pod} mesh-proxy`, 'SIGTERM'), 0, `${restarted.pod}'s sidecar drained`);
    await h.startProxy(restarted.pod, restarted.address, 'tomcat');
    // web's own sidecar: the app has no proxy while it restarts (as in a pod), so the app waits.
    const pausedAt = load.now();
    await load.pause();
    await Promise.all([h.processes.signal('web-0 mesh-proxy', 'SIGTERM'), h.processes.signal('web-0 dns-shim', 'SIGTERM')]);
    await Promise.all([h.startProxy('web-0', `${NET}.10`, 'web'), h.startDns()]);
    load.resume();
    pausedMs = load.now() - pausedAt;
    t.same(await resolveAtWeb('tomcat'), [tomcatVip], 'the restarted dns-shim answers tomcat from its state dir');
    const config = (await (await fetch(`http://${NET}.10:${POD_PORTS.admin}/config`)).json()) as { source: string };
    t.equal(config.source, 'state-dir', "web-0's restarted mesh-proxy runs the saved configuration");
    const restartsMs = load.now() - downAt;
    await delay(Math.max(0, OUTAGE_MS - restartsMs));
    t.comment(`discover-service down ${Math.round((load.now() - downAt) / 1000)} s; sidecar restarts took ${Math.round(restartsMs)} ms (load paused ${Math.round(pausedMs)} ms for web-0's own)`);

    await h.startDiscover();
    const upAt = load.now();
    await h.update((m) => ({
      ...m,
      services: [...m.services, { name: 'cart', ports: [8080], meshed: false, endpoints: [readyEndpoint('cart-0', `${NET}.20`)] }],
    }));
    const cartVip = new URL(await waitFor(() => h.origin('cart'), 10_000)).hostname;
    await waitUntil('web-0 mesh-proxy has the cart cluster', async () => (await h.webClusters()).some((c) => c.name === `${NAMESPACE}/cart:8080`), 30_000, 100);
    const proxyCaughtUp = load.now() - upAt;
    await waitUntil('web-0 dns-shim answers cart', async () => (await resolveAtWeb('cart')).join() === cartVip, 30_000, 100);
    const dnsCaughtUp = load.now() - upAt;
    t.comment(`after discover-service returned: the new dependency reached mesh-proxy in ${Math.round(proxyCaughtUp)} ms, dns-shim in ${Math.round(dnsCaughtUp)} ms`);
    await waitUntil(
      'every sidecar applied the version served',
      async () => {
        const { items } = (await (await fetch(`${h.configUrl}/v1/proxies`)).json()) as { items: { id: string; stale: boolean; appliedVersion: string | null }[] };
        return items.length >= 5 && items.every((p) => !p.stale && p.appliedVersion !== null);
      },
      30_000,
      200,
    );
    t.pass('/v1/proxies: every sidecar reports the served version as applied');
  } finally {
    report = await load.stop();
  }
  t.comment(
    `${report.sent} GETs at ${report.rate.toFixed(0)}/s over ${(report.durationMs / 1000).toFixed(1)} s: ${JSON.stringify(statusCounts(report.samples))}; ` +
      `per backend ${JSON.stringify(perBackend(report.samples))}`,
  );
  t.equal(report.failed, 0, `zero failed client requests; first failures: ${firstFailures(report.samples).join(' | ')}`);
  t.equal(report.samples.length, report.sent, 'every request answered');
});

/** Retries `fn` until it resolves (bounded). */
async function waitFor<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await delay(100);
    }
  }
}
