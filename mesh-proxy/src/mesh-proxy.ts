import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  DiscoverClient,
  formatIssue,
  validateMeshDocument,
  type Logger,
  type MeshDocument,
  type MeshplugError,
  type WatchHandle,
} from '@meshplug/plugin-api';
import type { Registry } from 'prom-client';
import { AdminServer, type AdminSource } from './admin/admin-server.js';
import { StateFile } from './config/state-file.js';
import { EmbeddedDns, type EmbeddedDnsView } from './dns/embedded-dns.js';
import { MeshProxyErrors } from './errors.js';
import { ListenerManager, type ClusterView, type ListenerView } from './listeners/listener-manager.js';
import { ProxyMetrics } from './metrics/proxy-metrics.js';
import { resolveProxyOptions, type ProxyOptions, type ResolvedProxyOptions } from './options/proxy-options.js';
import { ReportBuilder } from './report/report-builder.js';
import { StatsReporter } from './report/stats-reporter.js';

/** Where the applied document came from. */
export type ConfigSource = 'discover' | 'state-dir';

/** What `/config` answers. */
export interface ProxyConfigView {
  namespace: string;
  service: string;
  proxyId: string;
  configUrl: string;
  version: string | null;
  source: ConfigSource | null;
  appliedAt: string | null;
  /** The last failure to reach discover-service, cleared by the next success. */
  discoverError: string | null;
  draining: boolean;
  listeners: ListenerView[];
  /** The DNS server this proxy hosts (`--dns-listen`); null when it hosts none. */
  dns: EmbeddedDnsView | null;
  document: MeshDocument | null;
}

interface Applied {
  doc: MeshDocument;
  source: ConfigSource;
  at: string;
}

/**
 * The sidecar: follows `/v1/mesh/{ns}/{service}` by long-poll, applies each
 * version to its listeners by difference, keeps the last one in the state dir
 * (and starts from it when discover-service is unreachable), and serves the
 * admin API; with the `dns` option it also hosts the pod's DNS server, fed
 * from the same documents. `drain()` is what SIGTERM does.
 */
export class MeshProxy implements AdminSource {
  readonly options: ResolvedProxyOptions;
  private readonly metrics = new ProxyMetrics();
  private readonly manager: ListenerManager;
  private readonly admin: AdminServer;
  private readonly client: DiscoverClient;
  private readonly reporter: StatsReporter;
  private readonly stateFile: StateFile | undefined;
  private readonly log: Logger;
  private watch: WatchHandle | undefined;
  private applied: Applied | undefined;
  private applyChain: Promise<void> = Promise.resolve();
  private discoverError: string | null = null;
  private stateDirTried = false;
  private graceTimer: unknown;
  private drained: Promise<void> | undefined;
  private adminInfo: AddressInfo | undefined;
  private dns: EmbeddedDns | undefined;
  private readonly events = new EventEmitter();

  constructor(options: ProxyOptions) {
    this.options = resolveProxyOptions(options);
    const o = this.options;
    this.log = o.logger.child({ component: 'mesh-proxy', namespace: o.namespace, service: o.service });
    this.manager = new ListenerManager(o, this.metrics);
    this.admin = new AdminServer(this, o.logger.child({ component: 'admin' }));
    this.stateFile = o.stateDir === undefined ? undefined : new StateFile(o.stateDir);
    this.client = new DiscoverClient({
      baseUrl: o.configUrl,
      waitSeconds: o.waitSeconds,
      minBackoffMs: o.discoverMinBackoffMs,
      maxBackoffMs: o.discoverMaxBackoffMs,
      headers: { 'x-meshplug-proxy-id': o.proxyId, 'x-meshplug-proxy-kind': 'mesh-proxy' },
      logger: o.logger,
      timers: o.timers,
      random: o.random,
      ...(o.token !== undefined ? { token: o.token } : {}),
    });
    const source = { clusters: () => this.manager.clusters(), counters: (name: string) => this.metrics.cluster(name) };
    this.reporter = new StatsReporter({
      intervalSeconds: o.reportIntervalSeconds,
      client: this.client,
      builder: new ReportBuilder(source, { namespace: o.namespace, service: o.service, intervalSeconds: o.reportIntervalSeconds }),
      appliedVersion: () => this.applied?.doc.version,
      timers: o.timers,
      logger: o.logger,
    });
  }

  get registry(): Registry {
    return this.metrics.registry;
  }

  /** The admin API's address (its port when `adminAddress` asked for port 0). */
  get adminAddress(): AddressInfo {
    if (this.adminInfo === undefined) throw new MeshProxyErrors.MESH_ERR_NOT_STARTED('no admin address before start()');
    return this.adminInfo;
  }

  /** The version now applied, as reported to discover-service. */
  get appliedVersion(): string | undefined {
    return this.applied?.doc.version;
  }

  /**
   * Starts the hosted DNS server (if any), opens the admin API and starts following
   * discover-service; resolves without waiting for a document.
   */
  async start(): Promise<void> {
    if (this.options.dns !== undefined) this.dns = await EmbeddedDns.start(this.options, this.options.dns);
    try {
      this.adminInfo = await this.admin.listen(this.options.adminHost, this.options.adminPort);
    } catch (err) {
      await this.dns?.stop();
      throw err;
    }
    this.log.info({ admin: `${this.adminInfo.address}:${this.adminInfo.port}`, configUrl: this.options.configUrl }, 'mesh-proxy started');
    if (this.stateFile !== undefined) {
      this.graceTimer = this.options.timers.setTimeout(() => this.fallBackToStateDir('discover-service did not answer in time'), this.options.startupGraceMs);
    }
    this.watch = this.client.watch<unknown>(`/v1/mesh/${encodeURIComponent(this.options.namespace)}/${encodeURIComponent(this.options.service)}`, {
      onUpdate: (body) => this.onDocument(body),
      onError: (err, attempt, retryInMs) => this.onDiscoverError(err, attempt, retryInMs),
      appliedVersion: () => this.applied?.doc.version,
    });
    this.reporter.start();
  }

  /**
   * Resolves true once `version` (or any version) is applied, false after
   * `timeoutMs`. For embedders (the local demo) and tests.
   */
  whenApplied(version?: string, timeoutMs = 10_000): Promise<boolean> {
    const matches = (): boolean => this.applied !== undefined && (version === undefined || this.applied.doc.version === version);
    if (matches()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onApplied = (): void => {
        if (!matches()) return;
        this.events.off('applied', onApplied);
        this.options.timers.clearTimeout(timer);
        resolve(true);
      };
      const timer = this.options.timers.setTimeout(() => {
        this.events.off('applied', onApplied);
        resolve(false);
      }, timeoutMs);
      this.events.on('applied', onApplied);
    });
  }

  notReadyReason(): string | undefined {
    if (this.drained !== undefined) return 'draining';
    if (this.applied === undefined) return 'no configuration applied yet';
    return this.manager.notBound();
  }

  config(): ProxyConfigView {
    const a = this.applied;
    return {
      namespace: this.options.namespace,
      service: this.options.service,
      proxyId: this.options.proxyId,
      configUrl: this.options.configUrl,
      version: a?.doc.version ?? null,
      source: a?.source ?? null,
      appliedAt: a?.at ?? null,
      discoverError: this.discoverError,
      draining: this.drained !== undefined,
      listeners: this.manager.listeners(),
      dns: this.dns?.view() ?? null,
      document: a?.doc ?? null,
    };
  }

  clusters(): { clusters: ClusterView[] } {
    return { clusters: this.manager.clusters() };
  }

  /**
   * Stops following discover-service, stops accepting, lets in-flight work
   * finish (keep-alive clients are told `connection: close`) and closes what
   * is left after the drain timeout. The admin API stays up until `stop()`.
   */
  drain(): Promise<void> {
    this.drained ??= (async () => {
      this.log.info({ timeoutMs: this.options.drainTimeoutMs }, 'draining');
      this.options.timers.clearTimeout(this.graceTimer);
      await Promise.all([this.watch?.stop(), this.reporter.stop()]);
      await this.applyChain;
      await this.manager.drain(this.options.drainTimeoutMs);
      this.log.info('drained');
    })();
    return this.drained;
  }

  /** Drains, then stops the hosted DNS server (it answers the app until then) and closes the admin API. */
  async stop(): Promise<void> {
    await this.drain();
    await this.dns?.stop();
    await this.admin.close();
  }

  private onDocument(body: unknown): Promise<void> {
    const checked = validateMeshDocument(body);
    if (!checked.ok) {
      const reason = checked.issues.map((i) => formatIssue('mesh document', i)).join('; ');
      this.log.error({ reason }, 'discover-service sent an invalid mesh document; keeping the applied one');
      return Promise.reject(new MeshProxyErrors.MESH_ERR_INVALID_DOCUMENT(reason));
    }
    this.discoverError = null;
    return this.apply(checked.value, 'discover');
  }

  private onDiscoverError(err: MeshplugError, attempt: number, retryInMs: number): void {
    this.discoverError = `${err.code}: ${err.message}`;
    this.log.warn({ code: err.code, err: err.message, attempt, retryInMs }, 'discover-service unreachable');
    this.fallBackToStateDir(err.message);
  }

  /** At start only: without any applied document, serve the saved one. */
  private fallBackToStateDir(reason: string): void {
    if (this.stateDirTried || this.applied !== undefined || this.stateFile === undefined || this.drained !== undefined) return;
    this.stateDirTried = true;
    const file = this.stateFile;
    file
      .read()
      .then((doc) => {
        if (doc === undefined) {
          this.log.warn({ path: file.path }, 'no saved configuration to start from');
          return;
        }
        this.log.warn({ path: file.path, version: doc.version, reason }, 'discover-service unreachable at start; serving the saved configuration');
        return this.apply(doc, 'state-dir');
      })
      .catch((err: unknown) => this.log.error({ err }, 'could not start from the saved configuration'));
  }

  private apply(doc: MeshDocument, source: ConfigSource): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.drained !== undefined) return;
      if (source === 'state-dir' && this.applied !== undefined) return;
      this.options.timers.clearTimeout(this.graceTimer);
      await this.manager.apply(doc);
      // After the listeners: a name must never resolve to a VIP nothing listens on yet.
      this.dns?.apply(doc, source);
      const previous = this.applied?.doc.version;
      this.applied = { doc, source, at: new Date(this.options.now()).toISOString() };
      this.metrics.configApplies.inc({ source });
      this.events.emit('applied');
      this.log.info({ version: doc.version, previous, source, listeners: doc.inbound.length + doc.outbound.length }, 'configuration applied');
      if (source === 'discover' && this.stateFile !== undefined) {
        await this.stateFile.write(doc).catch((err: unknown) => this.log.error({ err }, 'could not save the configuration'));
      }
    };
    this.applyChain = this.applyChain.then(run, run);
    return this.applyChain;
  }
}
