import type { Socket } from 'node:net';
import type { Logger } from '@meshplug/plugin-api';
import type { ProxyTimers } from '../options/proxy-options.js';
import type { UpstreamCluster } from '../upstream/upstream-cluster.js';
import type { UpstreamEndpoint } from '../upstream/upstream-endpoint.js';
import { connectUpstream } from './connect-upstream.js';

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
 */
export class TcpForwarder {
  private readonly log: Logger;

  constructor(
    private readonly cluster: UpstreamCluster,
    private readonly deps: TcpForwarderDeps,
  ) {
    this.log = deps.logger.child({ cluster: cluster.name });
  }

  handle(client: Socket): void {
    const cluster = this.cluster;
    const count = (code: string): void => cluster.stats.request(code);
    client.setNoDelay(true);
    client.on('error', (err) => this.log.debug({ err: err.message }, 'downstream error'));
    if (!cluster.breaker.tryAcquireConnection()) {
      cluster.stats.overflows += 1;
      count('503');
      client.destroy();
      return;
    }
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      cluster.breaker.releaseConnection();
    };
    const idleMs = cluster.policy.tcpIdleTimeoutSeconds * 1000;
    if (idleMs > 0) {
      client.setTimeout(idleMs, () => {
        this.log.debug({ idleMs }, 'idle timeout');
        client.destroy();
      });
    }
    let clientClosed = false;
    client.once('close', () => {
      clientClosed = true;
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
        this.splice(client, upstream, e, started);
      });
    };
    tryNext();
  }

  /** Pipes both ways; `end()` is propagated each way, an error or reset on one side destroys the other. */
  private splice(client: Socket, upstream: Socket, e: UpstreamEndpoint, started: number): void {
    const cluster = this.cluster;
    upstream.on('error', (err) => this.log.debug({ endpoint: e.id, err: err.message }, 'upstream error'));
    client.pipe(upstream);
    upstream.pipe(client);
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
