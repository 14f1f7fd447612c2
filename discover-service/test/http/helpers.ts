import type { Test } from 'tap';
import { buildServer, type DiscoverServer } from '../../src/http/build-server.js';
import type { ServerOptions } from '../../src/http/server-options.js';
import { FakeView } from './fake-view.js';

/** A server on 127.0.0.1:0 over a FakeView, closed when the test ends. */
export async function startServer(
  t: Test,
  extra: Partial<ServerOptions> = {},
): Promise<{ server: DiscoverServer; view: FakeView; url: string }> {
  const view = (extra.view as FakeView | undefined) ?? new FakeView();
  const server = buildServer({ host: '127.0.0.1', port: 0, ...extra, view });
  const url = await server.listen();
  t.teardown(() => server.close());
  return { server, view, url };
}

/** Polls `condition` every 5 ms until true; fails after `timeoutMs` (a bound, not a timing assertion). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
