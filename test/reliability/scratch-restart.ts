import { setTimeout as delay } from 'node:timers/promises';
import { mkdtempSync } from 'node:fs';
import { ScenarioHarness } from './lib/scenario-harness.js';
import { readyEndpoint, type ScenarioMesh } from './lib/scenario-manifest.js';
import { startChild } from '../bench/lib/children.js';
import { meshplugCommand } from '../bench/lib/meshplug-command.js';
const NET = '127.0.29';
const BACKENDS = ['tomcat-0', 'tomcat-1', 'tomcat-2'].map((pod, i) => ({ pod, address: `${NET}.${11 + i}` }));
const MESH: ScenarioMesh = {
  namespace: 'rel-scratch', webAddress: `${NET}.10`,
  services: [{ name: 'tomcat', ports: [8080], meshed: true, endpoints: BACKENDS.map((b) => readyEndpoint(b.pod, b.address)) }],
  outboundValues: { 'tomcat:8080': { Retries: '3' } },
};
const t0 = Date.now();
const log = (m: string) => console.log(`${Date.now() - t0} ${m}`);
const dir = mkdtempSync('/tmp/q/h-');
const h = await ScenarioHarness.start({ mesh: MESH, source: { kind: 'file' }, dir, discoverAddress: `${NET}.1` });
try {
  await h.startBackend('tomcat-1', `${NET}.12`, 'tomcat');
  log('up');
  await Promise.all([h.processes.signal('tomcat-1 app', 'SIGKILL'), h.processes.signal('tomcat-1 mesh-proxy', 'SIGKILL')]);
  log('killed');
  const c = startChild(meshplugCommand('again', 'proxy', ['--config-url', h.configUrl, '--namespace', 'rel-scratch', '--service', 'tomcat', '--proxy-id', 'tomcat-1', '--state-dir', `${dir}/state/tomcat-1`, '--admin', `${NET}.12:15000`, '--bind', `${NET}.12`, '--log-level', 'debug']));
  for (let i = 0; i < 8; i++) { await delay(1000); try { const r = await fetch(`http://${NET}.12:15000/ready`); log(`${r.status} ${await r.text()}`); } catch (e) { log(String(e)); } }
  console.log(c.tail());
  await c.stop();
} finally { await h.close(); log('closed'); }
