import type { HostPort } from '../config/host-port.js';

/**
 * One way of asking an upstream resolver (UDP, TCP). Implementations pick
 * their own message ID, check that the reply matches the question they sent,
 * and reject with DNS_ERR_UPSTREAM_TIMEOUT or DNS_ERR_UPSTREAM_FAILED.
 */
export interface UpstreamTransport {
  readonly name: 'udp' | 'tcp';
  /** The upstream's reply (with the transport's own message ID) to `query`. */
  exchange(query: Buffer, upstream: HostPort, timeoutMs: number): Promise<Buffer>;
  close(): Promise<void>;
}
