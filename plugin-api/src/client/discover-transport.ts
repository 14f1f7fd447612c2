/** One HTTP exchange with discover-service. */
export interface DiscoverRequest {
  method: 'GET' | 'POST';
  url: URL;
  /** Lower-case names; `content-length` is added for a body. */
  headers: Readonly<Record<string, string>>;
  /** A text body (JSON), for POST. */
  body?: string;
  /** Aborting it ends the exchange (rejects, closes the connection). */
  signal: AbortSignal;
}

/** The whole answer: its status, headers (lower-case names) and body text. */
export interface DiscoverResponse {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  text: string;
}

/**
 * How {@link DiscoverClient} (and the sidecars' traffic reporters, which share its client) speak HTTP.
 * Rejects on connection failures, aborts and bodies cut short; any status resolves.
 */
export interface DiscoverTransport {
  send(request: DiscoverRequest): Promise<DiscoverResponse>;
}
