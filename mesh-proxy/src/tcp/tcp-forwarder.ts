import type { Socket } from 'node:net';
import type { Logger } from '@meshplug/plugin-api';
import type { ProxyTimers } from '../options/proxy-options.js';
import type { UpstreamCluster } from '../upstream/upstream-cluster.js';
import type { UpstreamEndpoint } from '../upstream/upstream-endpoint.js';
import { adoptAcceptedSocket } from './adopt-accepted-socket.js';
import { ByteRelay } from './byte-relay.js';
import { connectUpstream } from './connect-upstream.js';
import { IdleWatch } from './idle-watch.js';

export interface TcpForwarderDeps {
  logger: Logger;
  timers: ProxyTimers;
  now: () => number;
}

/**
 * L4 forwarding for one listener: each downstream connection is balanced to
 * one endpoint (a failed connect tries another, up to `Retries` times),
 * bounded by MaxConnections, closed after `TCPIdleTimeout` without traffic,
 * and half-closes pass through: a FIN one way leaves the other way open.
 * Bytes move through a ByteRelay each way (reads into reused buffers,
 * written straight to the other socket), not through streams.
 */
export class TcpForwarder {
  private readonly log: Logger;

  constructor(
    private readonly cluster: UpstreamCluster,
    private readonly deps: TcpForwarderDeps,
  ) {
    this.log = deps.logger.child({ cluster: cluster.name });
  }

  /** Takes over a connection accepted by the listener's net.Server ('connection' listener, before any read). */
  handle(accepted: Socket): void {
    const cluster = this.cluster;
    const count = (code: string): void => cluster.stats.request(code);
    if (!cluster.breaker.tryAcquireConnection()) {
      cluster.stats.overflows += 1;
      count('503');
      accepted.destroy();
      return;
    }
    const toUpstream = new ByteRelay();
    const toClient = new ByteRelay();
    const client = adoptAcceptedSocket(accepted, toUpstream.onread);
    client.setNoDelay(true);
    client.on('error', (err) => this.log.debug({ err: err.message }, 'downstream error'));
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      cluster.breaker.releaseConnection();
    };
    const idleMs = cluster.policy.tcpIdleTimeoutSeconds * 1000;
    const idle =
      idleMs > 0
        ? new IdleWatch(idleMs, this.deps.timers, () => toUpstream.reads + toClient.reads, () => {
            this.log.debug({ idleMs }, 'idle timeout');
            client.destroy();
          })
        : undefined;
    let clientClosed = false;
    client.once('close', () => {
      clientClosed = true;
      idle?.stop();
      release();
    });
    const tried = new Set<string>();
    const maxAttempts = 1 + cluster.policy.retries;
    const tryNext = (): void => {
      const e = cluster.pick(tried);
      if (e === undefined) {
        count('503');
        client.destroy();
        return;
      }
      tried.add(e.id);
      const started = this.deps.now();
      cluster.onStart(e);
      connectUpstream(e, cluster.policy.connectionTimeoutMs, this.deps.timers, (err, upstream) => {
        if (err || upstream === undefined) {
          cluster.onEnd(e, this.deps.now() - started, 'failure');
          this.log.debug({ endpoint: e.id, err: err?.message }, 'upstream connect failed');
          if (clientClosed) return;
          if (tried.size < maxAttempts) return tryNext();
          count('502');
          client.destroy();
          return;
        }
        if (clientClosed) {
          upstream.destroy();
          cluster.onEnd(e, this.deps.now() - started, 'cancelled');
          return;
        }
        cluster.stats.latency((this.deps.now() - started) / 1000);
        this.splice(client, upstream, toUpstream, toClient, e, started);
      }, toClient.onread);
    };
    tryNext();
  }

  /** Relays both ways; `end()` is propagated each way, an error or reset on one side destroys the other. */
  private splice(client: Socket, upstream: Socket, toUpstream: ByteRelay, toClient: ByteRelay, e: UpstreamEndpoint, started: number): void {
    const cluster = this.cluster;
    upstream.on('error', (err) => this.log.debug({ endpoint: e.id, err: err.message }, 'upstream error'));
    toUpstream.start(client, upstream);
    toClient.start(upstream, client);
    let open = 2;
    let failed = false;
    const onClose = (self: Socket, other: Socket) => (hadError: boolean): void => {
      // Closed after FINs both ways is clean; anything else (reset, idle timeout, drain deadline) takes the other side down.
      if (hadError || !self.readableEnded || !self.writableFinished) {
        failed ||= hadError;
        other.destroy();
      }
      open -= 1;
      if (open > 0) return;
      cluster.onEnd(e, this.deps.now() - started, failed ? 'cancelled' : 'ok');
      cluster.stats.request('tcp');
    };
    client.once('close', onClose(client, upstream));
    upstream.once('close', onClose(upstream, client));
  }
}
