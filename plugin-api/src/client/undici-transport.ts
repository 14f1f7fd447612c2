import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import type { DiscoverRequest, DiscoverResponse, DiscoverTransport } from './discover-transport.js';

const require = createRequire(import.meta.url);

/**
 * The transport for a caller-provided undici dispatcher (an Agent with its own TLS settings, a
 * MockAgent). undici is loaded on construction: a client without a dispatcher never holds it.
 */
export class UndiciTransport implements DiscoverTransport {
  readonly #dispatcher: Dispatcher;
  readonly #request: typeof import('undici').request;

  constructor(dispatcher: Dispatcher) {
    this.#dispatcher = dispatcher;
    this.#request = (require('undici') as typeof import('undici')).request;
  }

  async send(req: DiscoverRequest): Promise<DiscoverResponse> {
    const res = await this.#request(req.url, {
      method: req.method,
      headers: req.headers,
      signal: req.signal,
      dispatcher: this.#dispatcher,
      ...(req.body === undefined ? {} : { body: req.body }),
    });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }
}
