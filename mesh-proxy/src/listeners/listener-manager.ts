import { createServer as createTcpServer, type Server } from 'node:net';
import type { Logger, MeshDocument } from '@meshplug/plugin-api';
import { listenerSpecs, type ListenerSpec } from '../config/listener-specs.js';
import { createHttpProxyServer } from '../http/create-http-proxy-server.js';
import { HttpForwarder } from '../http/http-forwarder.js';
import { OriginPools } from '../http1/origin-pools.js';
import { UpgradeForwarder } from '../http/upgrade-forwarder.js';
import type { ProxyMetrics } from '../metrics/proxy-metrics.js';
import type { ResolvedProxyOptions } from '../options/proxy-options.js';
import { TcpForwarder } from '../tcp/tcp-forwarder.js';
import { EndpointPools } from '../upstream/endpoint-pools.js';
import { UpstreamCluster, type ClusterStatus } from '../upstream/upstream-cluster.js';
import { ProxyListener, type ListenerStatus } from './proxy-listener.js';

interface Entry {
  spec: ListenerSpec;
  listener: ProxyListener;
  cluster: UpstreamCluster;
  /** HTTP listeners only: the node:http path's undici pools and the fast path's raw connections. */
  pools: EndpointPools | undefined;
  origins: OriginPools | undefined;
}

/** A listener as `/config` shows it. */
export interface ListenerView extends ListenerStatus {
  direction: 'inbound' | 'outbound';
  mode: 'http' | 'tcp';
  cluster: string;
}

export interface ClusterView extends ClusterStatus {
  listener: string;
  direction: 'inbound' | 'outbound';
  mode: 'http' | 'tcp';
}

/**
 * Keeps the open listeners equal to what the applied document asks for, by
 * difference: a new key opens a listener, a key that left (or changed mode)
 * drains in the background, and a key that stays gets its cluster updated in
 * place, so its connections and pools live on and the next request or
 * connection sees the new endpoints and options.
 */
export class ListenerManager {
  private readonly entries = new Map<string, Entry>();
  private readonly retiring = new Set<Promise<void>>();
  private readonly log: Logger;

  constructor(
    private readonly options: ResolvedProxyOptions,
    private readonly metrics: ProxyMetrics,
  ) {
    this.log = options.logger.child({ component: 'listeners' });
  }

  /** Applies `doc`; resolves once every new listener made its first bind attempt. */
  async apply(doc: MeshDocument): Promise<void> {
    const specs = listenerSpecs(doc, this.options.bindAddress, this.options.inbound);
    const wanted = new Map(specs.map((s) => [s.key, s]));
    for (const [key, entry] of this.entries) {
      const spec = wanted.get(key);
      if (spec !== undefined && spec.mode === entry.spec.mode) continue;
      this.entries.delete(key);
      this.retire(entry);
    }
    const opened: Promise<void>[] = [];
    for (const spec of specs) {
      const entry = this.entries.get(spec.key);
      if (entry === undefined) {
        opened.push(this.open(spec));
        continue;
      }
      entry.spec = spec;
      entry.cluster.update(spec.cluster);
      entry.pools?.retain(entry.cluster.endpointIds);
      entry.origins?.retain(entry.cluster.endpointIds);
    }
    await Promise.all(opened);
  }

  /** Why traffic cannot flow yet, or undefined when every listener is bound. */
  notBound(): string | undefined {
    for (const e of this.entries.values()) {
      if (e.listener.state !== 'bound') return `listener ${e.spec.key} is ${e.listener.state}`;
    }
    return undefined;
  }

  listeners(): ListenerView[] {
    return [...this.entries.values()].map((e) => ({
      ...e.listener.status(),
      direction: e.spec.direction,
      mode: e.spec.mode,
      cluster: e.cluster.name,
    }));
  }

  clusters(): ClusterView[] {
    return [...this.entries.values()].map((e) => ({
      listener: e.spec.key,
      direction: e.spec.direction,
      mode: e.spec.mode,
      ...e.cluster.status(),
    }));
  }

  /** Drains every listener, including those already retiring; resolves when all are closed. */
  async drain(timeoutMs: number): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all([...all.map((e) => this.close(e, timeoutMs)), ...this.retiring]);
  }

  private async open(spec: ListenerSpec): Promise<void> {
    const deps = { logger: this.options.logger, metrics: this.metrics, timers: this.options.timers, now: this.options.now };
    const cluster = new UpstreamCluster(spec.cluster, { ...deps, random: this.options.random });
    let listener: ProxyListener | undefined;
    const isDraining = (): boolean => listener?.draining ?? false;
    let server: Server;
    let pools: EndpointPools | undefined;
    let origins: OriginPools | undefined;
    if (spec.mode === 'http') {
      pools = new EndpointPools();
      origins = new OriginPools(deps);
      const forwarding = {
        ...deps,
        retryBufferBytes: this.options.retryBufferBytes,
        pendingTimeoutMs: this.options.pendingTimeoutMs,
        isDraining,
      };
      const http = new HttpForwarder(cluster, pools, forwarding);
      const fastPath = {
        ...forwarding,
        logger: deps.logger.child({ cluster: cluster.name, path: 'fast' }),
        cluster,
        pools: origins,
        eligible: () => cluster.routesAll,
      };
      server = createHttpProxyServer(http, new UpgradeForwarder(cluster, deps), isDraining, fastPath);
    } else {
      const tcp = new TcpForwarder(cluster, deps);
      server = createTcpServer({ allowHalfOpen: true }, (socket) => tcp.handle(socket));
    }
    listener = new ProxyListener(spec.key, spec.host, spec.port, server, {
      ...deps,
      bindRetryMinMs: this.options.bindRetryMinMs,
      bindRetryMaxMs: this.options.bindRetryMaxMs,
      drainIdleGraceMs: this.options.drainIdleGraceMs,
    });
    this.entries.set(spec.key, { spec, listener, cluster, pools, origins });
    this.log.info({ listener: spec.key, mode: spec.mode, cluster: cluster.name }, 'opening listener');
    await listener.listen();
  }

  private retire(entry: Entry): void {
    this.log.info({ listener: entry.spec.key }, 'listener removed; draining');
    const done = this.close(entry, this.options.drainTimeoutMs).finally(() => this.retiring.delete(done));
    this.retiring.add(done);
  }

  private async close(entry: Entry, timeoutMs: number): Promise<void> {
    await entry.listener.drain(timeoutMs);
    entry.cluster.close();
    entry.origins?.close();
    await entry.pools?.close();
  }
}
