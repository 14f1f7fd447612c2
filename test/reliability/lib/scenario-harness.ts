import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { MeshDocument } from '@meshplug/plugin-api';
import type { FakeApiServer } from '../../fake-apiserver/index.js';
import { meshplugCommand, REPO_ROOT } from '../../bench/lib/meshplug-command.js';
import { freePort, waitForHttp } from '../../bench/lib/net.js';
import { waitUntil } from '../../bench/lib/timing.js';
import { ProcessTable } from './process-table.js';
import { outerPort, scenarioObjects, scenarioYaml, type ScenarioMesh } from './scenario-manifest.js';

/** The demo app (built): answers every HTTP request with its pod name. */
const DEMO_APP = join(REPO_ROOT, 'discover-service', 'dist', 'demo', 'app', 'demo-app-main.js');

/** Ports every pod uses on its own 127.0.x.y (like the demo). */
export const POD_PORTS = Object.freeze({ admin: 15000, dns: 5353, dnsMetrics: 15053 });

/** Bound on each readiness wait, ms: generous, the machine is shared. */
const READY_MS = 30_000;

/**
 * Fails when something already listens on `host:port`: a process left over by an
 * earlier, killed run would otherwise answer the readiness probes in its place.
 */
function assertFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err) => reject(new Error(`${host}:${port} is taken (a process left over from an earlier run?): ${err.message}`)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Where discover-service reads the mesh from. */
export type ScenarioSource = { kind: 'file' } | { kind: 'kube'; api: FakeApiServer };

export interface HarnessOptions {
  mesh: ScenarioMesh;
  source: ScenarioSource;
  /** A scratch directory (the test's testdir): manifest, kubeconfig, state dirs. */
  dir: string;
  /** Address discover-service listens on (a port is picked once and kept across restarts). */
  discoverAddress: string;
}

/** One endpoint as mesh-proxy's `/clusters` shows it. */
export interface EndpointView {
  id: string;
  address: string;
  port: number;
  health: 'healthy' | 'ejected';
  /** Epoch ms the ejection ends, or null. */
  ejectedUntil: number | null;
  total: number;
  errors: number;
  ejectionCount: number;
}

export interface ClusterView {
  name: string;
  endpoints: EndpointView[];
  circuitBreaker: Record<string, unknown>;
  retryBudget: { retriesAllowed: number; retriesDenied: number };
}

/**
 * One scenario's mesh on this machine, every part a child process started as
 * a user would (`node bin/meshplug.js ...`): discover-service, `web-0` (its
 * outbound mesh-proxy and dns-shim, sharing a state dir as a pod's emptyDir)
 * and backend pods (the demo app plus an inbound mesh-proxy each), each pod on
 * its own loopback address.
 */
export class ScenarioHarness {
  readonly processes = new ProcessTable();
  readonly configUrl: string;
  private current: ScenarioMesh;

  private constructor(
    private readonly options: HarnessOptions,
    private readonly discoverPort: number,
  ) {
    this.current = options.mesh;
    this.configUrl = `http://${options.discoverAddress}:${discoverPort}`;
  }

  /** Writes the mesh, starts discover-service and waits until it is ready. Pods are started by the caller. */
  static async start(options: HarnessOptions): Promise<ScenarioHarness> {
    const h = new ScenarioHarness(options, await freePort(options.discoverAddress));
    await h.publish(options.mesh);
    await h.startDiscover();
    return h;
  }

  get mesh(): ScenarioMesh {
    return this.current;
  }

  get namespace(): string {
    return this.current.namespace;
  }

  /** Publishes a changed mesh: rewrites the file (atomically) or applies the objects to the fake API server. */
  async update(change: (mesh: ScenarioMesh) => ScenarioMesh): Promise<void> {
    await this.publish(change(this.current));
  }

  /** File source only: replaces the manifest with `text` as it is (bad input on purpose). */
  async writeManifest(text: string): Promise<void> {
    const tmp = join(this.options.dir, 'mesh.yaml.tmp');
    await writeFile(tmp, text);
    await rename(tmp, join(this.options.dir, 'mesh.yaml'));
  }

  async startDiscover(): Promise<void> {
    const { source, dir, discoverAddress } = this.options;
    const args = ['--listen', `${discoverAddress}:${this.discoverPort}`, '--dns-upstream', '127.0.0.1:9', '--log-level', 'warn'];
    if (source.kind === 'file') args.push('--source', `file:${join(dir, 'mesh.yaml')}`);
    else {
      const kubeconfig = join(dir, 'kubeconfig.yaml');
      await writeFile(kubeconfig, source.api.kubeconfigYaml());
      args.push('--source', 'kube', '--kubeconfig', kubeconfig);
    }
    this.processes.start(meshplugCommand('discover', 'serve', args));
    await this.ready(`${this.configUrl}/readyz`, 'discover');
  }

  /** SIGTERM to discover-service; resolves once it is gone. */
  async stopDiscover(): Promise<void> {
    await this.processes.signal('discover', 'SIGTERM');
  }

  /** The app and the inbound mesh-proxy of a backend pod; resolves once both answer. */
  async startBackend(pod: string, address: string, service: string, appPort = 8080): Promise<void> {
    this.processes.start({
      name: `${pod} app`,
      command: process.execPath,
      args: [DEMO_APP, '--name', pod, '--host', address, '--http-port', String(appPort)],
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production' },
    });
    await this.startProxy(pod, address, service);
    await this.ready(`http://${address}:${outerPort(appPort)}/`, `${pod} app`);
  }

  /** A pod's mesh-proxy (state dir per pod); resolves once its `/ready` answers 200. */
  async startProxy(pod: string, address: string, service: string): Promise<void> {
    await assertFree(address, POD_PORTS.admin);
    const args = [
      ...this.podFlags(pod, service),
      '--admin', `${address}:${POD_PORTS.admin}`,
      '--bind', address,
      '--drain-timeout', '1000',
      '--log-level', 'warn',
    ];
    this.processes.start(meshplugCommand(`${pod} mesh-proxy`, 'proxy', args));
    await this.ready(`http://${address}:${POD_PORTS.admin}/ready`, `${pod} mesh-proxy`);
  }

  /** `web-0`'s dns-shim; resolves once its metrics listener answers `/ready`. */
  async startDns(): Promise<void> {
    const address = this.current.webAddress;
    const args = [
      ...this.podFlags('web-0', 'web'),
      '--listen', `${address}:${POD_PORTS.dns}`,
      '--metrics', `${address}:${POD_PORTS.dnsMetrics}`,
      '--log-level', 'warn',
    ];
    this.processes.start(meshplugCommand('web-0 dns-shim', 'dns', args));
    await this.ready(`http://${address}:${POD_PORTS.dnsMetrics}/ready`, 'web-0 dns-shim');
  }

  /** `web-0`'s mesh-proxy and dns-shim. */
  async startWeb(): Promise<void> {
    await this.startProxy('web-0', this.current.webAddress, 'web');
    await this.startDns();
  }

  /** `web-0`'s document as discover-service serves it now. */
  async webDocument(): Promise<MeshDocument> {
    const res = await fetch(`${this.configUrl}/v1/mesh/${this.namespace}/web`, { signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) throw new Error(`GET /v1/mesh/${this.namespace}/web: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as MeshDocument;
  }

  /** `http://<vip>:<port>` of web's outbound cluster for `service:port`. */
  async origin(service: string, port = 8080): Promise<string> {
    const doc = await this.webDocument();
    const cluster = doc.outbound.find((c) => c.service === service && c.port === port);
    if (cluster === undefined) throw new Error(`web has no outbound cluster ${service}:${port}`);
    return `http://${cluster.vip}:${port}`;
  }

  /** web-0's mesh-proxy `/clusters`. */
  async webClusters(): Promise<ClusterView[]> {
    const res = await fetch(`http://${this.current.webAddress}:${POD_PORTS.admin}/clusters`, { signal: AbortSignal.timeout(5000) });
    return ((await res.json()) as { clusters: ClusterView[] }).clusters;
  }

  /** web-0's cluster for `service:port` (clusters are named `<namespace>/<service>:<port>`). */
  async webCluster(service: string, port = 8080): Promise<ClusterView> {
    const clusters = await this.webClusters();
    const found = clusters.find((c) => c.name === `${this.namespace}/${service}:${port}`);
    if (found === undefined) throw new Error(`web-0 has no cluster for ${service}:${port}: ${clusters.map((c) => c.name).join(', ')}`);
    return found;
  }

  /** Waits until web-0's cluster for `service` has exactly these endpoint addresses. */
  async waitForEndpoints(service: string, addresses: readonly string[], timeoutMs: number): Promise<void> {
    const want = [...addresses].sort().join(',');
    await waitUntil(
      `web-0's ${service} endpoints = ${want}`,
      async () => (await this.webCluster(service)).endpoints.map((e) => e.address).sort().join(',') === want,
      timeoutMs,
      20,
    );
  }

  async close(): Promise<void> {
    await this.processes.stopAll();
  }

  /** Waits for `url` to answer 200; the error carries the process's last output lines. */
  private async ready(url: string, name: string): Promise<void> {
    try {
      await waitForHttp(url, READY_MS);
    } catch (err) {
      const tail = this.processes.has(name) ? this.processes.get(name).tail() : `(${name} has exited)`;
      throw new Error(`${(err as Error).message}\n${name}:\n${tail}`);
    }
  }

  private podFlags(pod: string, service: string): string[] {
    return [
      '--config-url', this.configUrl,
      '--namespace', this.namespace,
      '--service', service,
      '--proxy-id', pod,
      '--state-dir', join(this.options.dir, 'state', pod),
    ];
  }

  private async publish(mesh: ScenarioMesh): Promise<void> {
    this.current = mesh;
    const { source, dir } = this.options;
    if (source.kind === 'kube') {
      for (const object of scenarioObjects(mesh)) source.api.apply(object as Parameters<FakeApiServer['apply']>[0]);
      return;
    }
    await mkdir(join(dir, 'state'), { recursive: true });
    // Write and rename: the file source never reads half a file.
    await this.writeManifest(scenarioYaml(mesh));
  }
}
