import type { AddressInfo } from 'node:net';
import type { DnsTable } from '@meshplug/plugin-api';
import { parseHostPort, type HostPort } from './config/host-port.js';
import { resolveDnsShimOptions, type DnsShimOptions, type ResolvedDnsShimOptions } from './config/dns-shim-options.js';
import { Forwarder } from './forward/forwarder.js';
import { ResponseCache } from './forward/response-cache.js';
import { TcpTransport } from './forward/tcp-transport.js';
import { UdpTransport } from './forward/udp-transport.js';
import { DnsMetrics } from './metrics/dns-metrics.js';
import { QueryHandler } from './server/query-handler.js';
import { TcpListener } from './server/tcp-listener.js';
import { UdpListener } from './server/udp-listener.js';
import { MeshTable } from './table/mesh-table.js';
import { validateDnsTable } from './table/validate-dns-table.js';

/** Where a table came from, for logs and the `source` label of table updates. */
export type TableSource = 'discover' | 'state-file' | 'api';

/** Tries to bind UDP and TCP on the same ephemeral port this many times before giving up. */
const SAME_PORT_ATTEMPTS = 20;

/**
 * The pod-local DNS server: mesh names from the current table, everything
 * else forwarded (cache, in-flight dedup, TCP on truncation), over UDP and TCP.
 */
export class DnsShim {
  readonly options: ResolvedDnsShimOptions;
  readonly metrics: DnsMetrics;
  readonly cache: ResponseCache;
  private readonly forwarder: Forwarder;
  private readonly udpTransport = new UdpTransport();
  private readonly tcpTransport = new TcpTransport();
  private readonly udp: UdpListener;
  private readonly tcp: TcpListener;
  private current: MeshTable | undefined;
  private bound: AddressInfo | undefined;

  constructor(options: DnsShimOptions = {}) {
    this.options = resolveDnsShimOptions(options);
    const o = this.options;
    this.cache = new ResponseCache({
      maxEntries: o.cacheMaxEntries,
      maxTtlSeconds: o.cacheMaxTtlSeconds,
      maxNegativeTtlSeconds: o.cacheMaxNegativeTtlSeconds,
      clock: o.clock,
    });
    this.metrics = new DnsMetrics(() => this.cache.size);
    this.forwarder = new Forwarder({
      udp: this.udpTransport,
      tcp: this.tcpTransport,
      cache: this.cache,
      metrics: this.metrics,
      logger: o.logger,
      timeoutMs: o.upstreamTimeoutMs,
      attemptTimeoutMs: o.upstreamAttemptTimeoutMs,
      rounds: o.upstreamRounds,
    });
    this.forwarder.setUpstreams(o.upstreams);
    const handler = new QueryHandler({
      table: () => this.current,
      forwarder: this.forwarder,
      metrics: this.metrics,
      logger: o.logger,
      maxUdpPayload: o.maxUdpPayload,
    });
    this.udp = new UdpListener(handler, o.logger);
    this.tcp = new TcpListener(
      handler,
      { maxConnections: o.tcpMaxConnections, idleTimeoutMs: o.tcpIdleTimeoutMs, maxPipelined: o.tcpMaxPipelined },
      o.logger,
    );
  }

  /** The table in use, if any. */
  get table(): MeshTable | undefined {
    return this.current;
  }

  /** The address both listeners serve, once started. */
  get address(): AddressInfo | undefined {
    return this.bound;
  }

  /** The upstreams forwarded questions go to now. */
  get upstreams(): readonly HostPort[] {
    return this.forwarder.currentUpstreams;
  }

  /** Binds UDP and TCP on the same address and port (with port 0, the same free port for both). */
  async start(): Promise<AddressInfo> {
    const at = this.options.listen;
    for (let attempt = 1; ; attempt++) {
      const udp = await this.udp.listen(at);
      try {
        await this.tcp.listen({ host: at.host, port: udp.port });
        this.bound = udp;
        this.options.logger.info({ address: udp.address, port: udp.port }, 'dns-shim listening (udp+tcp)');
        return udp;
      } catch (err) {
        await this.udp.close();
        // Only an ephemeral port may be retried: another process took the TCP side of the UDP port we got.
        if (at.port !== 0 || attempt >= SAME_PORT_ATTEMPTS) throw err;
      }
    }
  }

  /**
   * Validates and applies a table; on a bad one throws DNS_ERR_INVALID_TABLE
   * and keeps the current table. Returns false when `version` is already applied.
   */
  setTable(table: unknown, version: string, source: TableSource = 'api'): boolean {
    if (this.current?.version === version) return false;
    const valid = validateDnsTable(table);
    const next = new MeshTable(valid, version);
    this.forwarder.setUpstreams(this.upstreamsFor(valid));
    this.current = next;
    this.metrics.tableNames.set(next.size);
    this.metrics.tableUpdates.labels(source).inc();
    if (next.conflicts.length > 0) {
      this.options.logger.warn({ conflicts: next.conflicts }, 'names claimed by two records; the first keeps them');
    }
    this.options.logger.info({ version, names: next.size, source }, 'dns table applied');
    return true;
  }

  async stop(): Promise<void> {
    await Promise.all([this.udp.close(), this.tcp.close()]);
    await Promise.all([this.udpTransport.close(), this.tcpTransport.close()]);
    this.bound = undefined;
  }

  /** The table's own upstream list wins; an empty one means the `upstreams` option. */
  private upstreamsFor(table: Readonly<DnsTable>): readonly HostPort[] {
    if (table.upstream.length === 0) return this.options.upstreams;
    // validateDnsTable has checked every entry parses.
    return table.upstream.map((u) => parseHostPort(u) as HostPort);
  }
}
