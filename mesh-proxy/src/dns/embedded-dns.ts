import type { Logger, MeshDocument } from '@meshplug/plugin-api';
import type { formatHostPort, RunningDnsShim } from '@meshplug/dns-shim';
import type { ConfigSource } from '../mesh-proxy.js';
import type { ResolvedProxyOptions } from '../options/proxy-options.js';

/** What `/config` shows of the DNS server the proxy hosts. */
export interface EmbeddedDnsView {
  /** The UDP and TCP address served. */
  listen: string;
  /** dns-shim's own `/stats` and `/ready`, when asked for. */
  metrics: string | null;
  /** Version of the table answered from; null before the first one. */
  version: string | null;
  names: number;
  /** Where names outside the mesh are forwarded now. */
  upstreams: string[];
}

/**
 * dns-shim inside the mesh-proxy process (`--dns-listen`): started by the same
 * wiring as `meshplug dns` (startDnsShim) minus its own discover-service
 * follower, since the proxy hands it the `dns` table of every document it
 * applies. One long-poll, one state file, one V8 heap per pod.
 */
export class EmbeddedDns {
  private constructor(
    private readonly running: RunningDnsShim,
    private readonly format: typeof formatHostPort,
    private readonly log: Logger,
  ) {}

  /** Binds the DNS server, answering from the state dir's last table (if any) until the proxy applies one. */
  static async start(options: ResolvedProxyOptions, dns: NonNullable<ResolvedProxyOptions['dns']>): Promise<EmbeddedDns> {
    // Loaded only when asked for: a proxy without --dns-listen never holds dns-shim's modules.
    const { startDnsShim, formatHostPort } = await import('@meshplug/dns-shim');
    const running = await startDnsShim({
      shim: { listen: dns.listen, upstreams: [...dns.upstreams] },
      ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
      ...(dns.metricsListen === undefined ? {} : { metricsListen: dns.metricsListen }),
      proxyId: options.proxyId,
      logger: options.logger,
    });
    return new EmbeddedDns(running, formatHostPort, options.logger.child({ component: 'embedded-dns' }));
  }

  /** Answers from `doc.dns` from now on; an invalid table is logged and the current one kept (the proxy still applies the rest). */
  apply(doc: MeshDocument, source: ConfigSource): void {
    try {
      this.running.shim.setTable(doc.dns, doc.version, source === 'discover' ? 'discover' : 'state-file');
    } catch (err) {
      this.log.error({ version: doc.version, err: (err as Error).message }, 'rejected DNS table; keeping the last one');
    }
  }

  view(): EmbeddedDnsView {
    const { shim, address, metricsAddress } = this.running;
    return {
      listen: this.format({ host: address.address, port: address.port }),
      metrics: metricsAddress === undefined ? null : this.format({ host: metricsAddress.address, port: metricsAddress.port }),
      version: shim.table?.version ?? null,
      names: shim.table?.size ?? 0,
      upstreams: shim.upstreams.map((u) => this.format(u)),
    };
  }

  stop(): Promise<void> {
    return this.running.stop();
  }
}
