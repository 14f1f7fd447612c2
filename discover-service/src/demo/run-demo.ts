import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeshplugError, type MeshDocument } from '@meshplug/plugin-api';
import type { CliIo } from '../cli/cli-io.js';
import { fetchJson } from '../cli/fetch-json.js';
import { formatProxyStatus } from '../cli/proxy-status-command.js';
import { formatRoutes } from '../cli/routes-command.js';
import { DiscoverErrors } from '../errors.js';
import type { ProxyStatus } from '../proxies/proxy-registry.js';
import type { RouteRow } from '../state/mesh-view.js';
import { prepareDemoManifest, type DemoPod } from './demo-manifest.js';
import { DEMO_POD_PORTS, DEMO_TOPOLOGY, type ResolvedDemoOptions } from './demo-options.js';
import { DemoReport, formatSpread, formatStatuses } from './demo-report.js';
import { ChildGroup } from './process/child-group.js';
import { DEMO_APP_SCRIPT, meshplugCommand, nodeScript, type CommandOptions } from './process/meshplug-command.js';
import { dnsAnswers, httpOk } from './process/probes.js';
import { waitUntil, type ProbeResult } from './process/wait-until.js';
import { resolveName } from './traffic/resolve-name.js';
import { sendRequests, type TrafficResult } from './traffic/send-requests.js';

/** A port the OS says is free now, for `--listen HOST:0` (the children need it before they start). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port: 0 }, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * One `meshplug demo`: the example mesh on this machine, every part a child
 * process started the way a user would (`node bin/meshplug.js ...`), each pod
 * on its own 127.0.1.x. Children and the temporary directory are removed on
 * every way out.
 */
export class DemoRun {
  private readonly children = new ChildGroup();
  private readonly report: DemoReport;
  private server = '';

  constructor(
    private readonly options: ResolvedDemoOptions,
    private readonly io: CliIo,
    private readonly signal: AbortSignal,
  ) {
    this.report = new DemoReport(io);
  }

  /** Exit code: 0 when every request succeeded (headless) or on Ctrl-C after a good run. */
  async run(): Promise<number> {
    const dir = await mkdtemp(join(tmpdir(), 'meshplug-demo-'));
    try {
      const ok = await this.start(dir);
      if (this.options.headless) return ok ? 0 : 1;
      // Even after a failed request the mesh stays up, so its ops API can tell why.
      return await this.keepRunning();
    } catch (err) {
      const message = err instanceof MeshplugError ? `${err.code}: ${err.message}` : String((err as Error).stack ?? err);
      this.report.fail(message);
      return err instanceof MeshplugError && err.code === 'DISC_ERR_DEMO_ABORTED' ? 130 : 1;
    } finally {
      await this.children.stopAll(this.options.stopGraceMs);
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async start(dir: string): Promise<boolean> {
    const { client, backend } = DEMO_TOPOLOGY;
    const manifest = prepareDemoManifest(await readFile(this.options.manifest, 'utf8'), DEMO_TOPOLOGY);
    const file = join(dir, 'shop.yaml');
    await writeFile(file, manifest.yaml);
    const backends = manifest.pods.filter((p) => p.service === backend);
    const web = manifest.pods.find((p) => p.service === client) as DemoPod;
    this.report.ok(`manifest ${file} (from ${this.options.manifest}; ${backend} slices carry outer ports ${outerPorts(backends)})`);

    await this.startDiscover(file);
    for (const pod of backends) this.startBackend(pod, dir);
    this.startClient(web, dir);
    for (const pod of backends) await this.waitForPod(pod, true);
    await this.waitForPod(web, false);

    const result = await this.sendTraffic(web);
    const routes = await this.get<{ items: RouteRow[] }>(`/v1/routes?namespace=${DEMO_TOPOLOGY.namespace}`);
    this.report.section('Routes (meshplug routes):', formatRoutes(routes.items));
    const proxies = await this.get<{ items: ProxyStatus[] }>('/v1/proxies');
    this.report.section('Sidecars (meshplug proxy-status):', formatProxyStatus(proxies.items, this.io.now()));
    this.report.section(`Requests per ${backend} backend:`, formatSpread(backends, result));
    return result.statuses.get('200') === result.sent;
  }

  private async startDiscover(file: string): Promise<void> {
    const host = this.options.listenHost;
    const port = this.options.listenPort === 0 ? await freePort(host) : this.options.listenPort;
    this.server = `http://${host}:${port}`;
    const args = ['--source', `file:${file}`, '--listen', `${host}:${port}`];
    const discover = this.children.start(meshplugCommand('discover-service', 'serve', args, this.childOptions('discover-service')));
    await this.wait(`discover-service ${this.server}/readyz`, () => httpOk(`${this.server}/readyz`));
    this.report.ok(`discover-service ready at ${this.server} (pid ${String(discover.pid)})`);
  }

  /** Waits for the pod's app (backends) and its mesh-proxy's /ready, then says so. */
  private async waitForPod(pod: DemoPod, hasApp: boolean): Promise<void> {
    const apps: string[] = [];
    for (const appPort of hasApp ? pod.ports.keys() : []) {
      const url = `http://${pod.address}:${appPort}/`;
      await this.wait(`${pod.name} app ${url}`, () => httpOk(url));
      apps.push(`${pod.address}:${appPort}`);
    }
    const url = `http://${pod.address}:${DEMO_POD_PORTS.admin}/ready`;
    await this.wait(`${pod.name} mesh-proxy ${url}`, () => httpOk(url));
    const inbound = [...pod.ports].map(([app, outer]) => `${pod.address}:${outer} -> :${app}`).join(', ');
    const app = apps.length > 0 ? `app on ${apps.join(', ')}; ` : '';
    this.report.ok(`${pod.name}: ${app}mesh-proxy ready (inbound ${inbound}; admin ${pod.address}:${DEMO_POD_PORTS.admin})`);
  }

  /** What the web app would do: resolve `tomcat` through its sidecar's DNS, then call the VIP; the sidecar does the rest. */
  private async sendTraffic(web: DemoPod): Promise<TrafficResult> {
    const { namespace, client, backend } = DEMO_TOPOLOGY;
    const doc = await this.get<MeshDocument>(`/v1/mesh/${namespace}/${client}`);
    const cluster = doc.outbound.find((c) => c.namespace === namespace && c.service === backend);
    if (cluster === undefined) throw new DiscoverErrors.DISC_ERR_DEMO_TRAFFIC(`${namespace}/${client} has no route to ${namespace}/${backend}`);
    const dnsServer = `${web.address}:${DEMO_POD_PORTS.dns}`;
    const fqdn = `${backend}.${namespace}.svc.${doc.dns.clusterDomain}`;
    await this.wait(`${web.name} sidecar DNS ${dnsServer} answering ${fqdn}`, () => dnsAnswers(dnsServer, fqdn));
    const resolved = await resolveName(backend, { server: dnsServer, searches: doc.dns.searches });
    if (!resolved.addresses.includes(cluster.vip)) {
      throw new DiscoverErrors.DISC_ERR_DEMO_TRAFFIC(`'${backend}' resolved to ${resolved.addresses.join(', ')}, not its VIP ${cluster.vip}`);
    }
    this.report.ok(`${web.name}: its sidecar's DNS ${dnsServer} resolves '${backend}' (search list) as ${resolved.name} -> VIP ${cluster.vip}`);
    const result = await sendRequests({
      address: cluster.vip,
      port: cluster.port,
      host: `${backend}:${cluster.port}`,
      path: '/',
      count: this.options.requests,
      localAddress: web.address,
      timeoutMs: this.options.requestTimeoutMs,
    });
    const summary = `${result.sent} requests ${web.name} -> http://${backend}:${cluster.port}/ (policy ${cluster.policy}): ${formatStatuses(result)}`;
    if (result.statuses.get('200') === result.sent) this.report.ok(summary);
    else this.report.fail(`${summary}; first failures: ${result.failures.join(' | ')}`);
    return result;
  }

  private get<T>(path: string): Promise<T> {
    return fetchJson<T>(this.server, path);
  }

  private startBackend(pod: DemoPod, dir: string): void {
    for (const appPort of pod.ports.keys()) {
      const args = ['--name', pod.name, '--host', pod.address, '--http-port', String(appPort)];
      this.children.start(nodeScript(`${pod.name} app`, DEMO_APP_SCRIPT, args, this.childOptions(`${pod.name} app`)));
    }
    this.startProxy(pod, dir);
  }

  /** The calling pod's sidecar also serves its DNS, in the same process, as injected pods do. */
  private startClient(pod: DemoPod, dir: string): void {
    this.startProxy(pod, dir, [
      '--dns-listen', `${pod.address}:${DEMO_POD_PORTS.dns}`,
      '--dns-metrics', `${pod.address}:${DEMO_POD_PORTS.dnsMetrics}`,
    ]);
  }

  private startProxy(pod: DemoPod, dir: string, extra: readonly string[] = []): void {
    const args = [
      ...this.podFlags(pod, dir),
      '--admin', `${pod.address}:${DEMO_POD_PORTS.admin}`,
      '--bind', pod.address,
      '--drain-timeout', '1000',
      ...extra,
    ];
    this.children.start(meshplugCommand(`${pod.name} mesh-proxy`, 'proxy', args, this.childOptions(`${pod.name} mesh-proxy`)));
  }

  /** What every sidecar of a pod is told: its component, its name, its state dir (shared, as the pod's emptyDir). */
  private podFlags(pod: DemoPod, dir: string): string[] {
    return [
      '--config-url', this.server,
      '--namespace', DEMO_TOPOLOGY.namespace,
      '--service', pod.service,
      '--proxy-id', pod.name,
      '--state-dir', join(dir, pod.name),
    ];
  }

  private childOptions(name: string): CommandOptions {
    if (!this.options.logs) return {};
    return { onLine: (line) => this.io.stderr.write(`${name} | ${line}\n`) };
  }

  private wait<T>(what: string, probe: () => Promise<ProbeResult<T>>): Promise<T> {
    return waitUntil(probe, { what, timeoutMs: this.options.readyTimeoutMs, children: this.children, signal: this.signal });
  }

  /** Interactive mode: the mesh stays up until Ctrl-C (exit 0) or until a part dies (exit 1). */
  private async keepRunning(): Promise<number> {
    this.report.line(
      `\nThe mesh is running. Ops API: ${this.server} (try: node bin/meshplug.js routes --server ${this.server},` +
        ` curl ${this.server}/v1/proxies). Press Ctrl-C to stop.`,
    );
    const aborted = new Promise<'aborted'>((resolve) => {
      if (this.signal.aborted) resolve('aborted');
      this.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    const outcome = await Promise.race([aborted, this.children.unexpectedExit]);
    if (outcome === 'aborted') {
      this.report.line('Stopping every demo process...');
      return 0;
    }
    this.report.fail(`${outcome.describe()}; stopping the demo\n${outcome.tail()}`);
    return 1;
  }
}

function outerPorts(pods: readonly DemoPod[]): string {
  return [...new Set(pods.flatMap((p) => [...p.ports].map(([app, outer]) => `${app}->${outer}`)))].join(', ');
}
