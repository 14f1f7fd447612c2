import { setTimeout as delay } from 'node:timers/promises';
import { mkdtempSync } from 'node:fs';
import { ScenarioHarness } from './lib/scenario-harness.js';
import { readyEndpoint, type ScenarioMesh } from './lib/scenario-manifest.js';
import { perBackend, statusCounts, SteadyLoad, firstFailures } from './lib/steady-load.js';
const NET = '127.0.29';
const BACKENDS = ['tomcat-0', 'tomcat-1', 'tomcat-2'].map((pod, i) => ({ pod, address: `${NET}.${11 + i}` }));
const MESH: ScenarioMesh = {
  namespace: 'rel-scratch', webAddress: `${NET}.10`,
  services: [{ name: 'tomcat', ports: [8080], meshed: true, endpoints: BACKENDS.map((b) => readyEndpoint(b.pod, b.address)) }],
  outboundValues: { 'tomcat:8080': { Retries: '3', RetryOn: 'gateway-error,reset,connect-failure', MaxActiveRetries: '200', ConsecutiveErrors: '3', BaseEjectionTimeMS: '1000', MaxEjectionPercent: '50' } },
};
const t0 = Date.now();
const log = (m: string) => console.log(`${Date.now() - t0} ${m}`);
const h = await ScenarioHarness.start({ mesh: MESH, source: { kind: 'file' }, dir: mkdtempSync('/tmp/q/h-'), discoverAddress: `${NET}.1` });
log('discover up');
try {
  for (const b of BACKENDS) { await h.startBackend(b.pod, b.address, 'tomcat'); log(`${b.pod} up`); }
  await h.startWeb(); log('web up');
  console.log(JSON.stringify((await h.webDocument()).outbound, null, 1));
  console.log(JSON.stringify(await h.webClusters(), null, 1));
  const load = new SteadyLoad({ origin: await h.origin('tomcat'), host: 'tomcat:8080', rate: 300, maxDurationMs: 20_000 });
  await delay(1500);
  await Promise.all([h.processes.signal('tomcat-1 app', 'SIGKILL'), h.processes.signal('tomcat-1 mesh-proxy', 'SIGKILL')]);
  log('killed');
  for (let i = 0; i < 10; i++) { await delay(300); const c = await h.webCluster('tomcat'); log(JSON.stringify(c.endpoints.map(e => [e.address, e.health, e.total, e.errors, e.ejectionCount]))); }
  const r = await load.stop();
  log(`${r.sent} ${r.rate} ${JSON.stringify(statusCounts(r.samples))} ${JSON.stringify(perBackend(r.samples))} ${firstFailures(r.samples).join('|')}`);
} finally { await h.close(); log('closed'); }
