import { readFile } from 'node:fs/promises';
import type { Logger } from '@meshplug/plugin-api';
import type { AccessControl } from '../auth/access-control.js';
import { buildServer, type DiscoverServer } from '../http/build-server.js';
import type { RouteGroup } from '../http/server-options.js';
import type { PodInjector } from '../inject/pod-injector.js';
import type { MeshView } from '../state/mesh-view.js';

/** Where `meshplug serve` listens. */
export interface ListenerPlan {
  /** The sidecar-facing port (`--listen`). */
  main: { host: string; port: number };
  /** `--ops-listen`: the ops API moves here and leaves the other listeners. */
  ops?: { host: string; port: number } | undefined;
  /** `--webhook-listen`: HTTPS for the API server's admission calls. */
  webhook?: { host: string; port: number; certFile: string; keyFile: string } | undefined;
}

/** The started listeners; they share one long-poll hub, sidecar registry and metrics. */
export interface Listeners {
  main: DiscoverServer;
  url: string;
  ops: DiscoverServer | undefined;
  opsUrl: string | undefined;
  webhook: DiscoverServer | undefined;
  webhookUrl: string | undefined;
  close(): Promise<void>;
}

/**
 * Starts the listeners of one discover-service.
 * - main: config documents and probes, plus the ops API unless `--ops-listen` is set, plus
 *   `POST /v1/inject` when access control is off (as before: nothing changes without the flag).
 * - ops: the ops API and probes only.
 * - webhook (HTTPS): with access control, `POST /v1/inject` and probes only, since the API server
 *   authenticates itself with TLS, not a pod token, and a second, unauthenticated way to the
 *   config documents would defeat the check; without it, what main serves, plus `/v1/inject`.
 */
export async function startListeners(
  plan: ListenerPlan,
  deps: { view: MeshView; injector: PodInjector; access: AccessControl | undefined; logger: Logger },
): Promise<Listeners> {
  const { view, injector, access, logger } = deps;
  const mainRoutes: RouteGroup[] = plan.ops ? ['config'] : ['config', 'ops'];
  const main = buildServer({
    view,
    ...plan.main,
    logger,
    routes: mainRoutes,
    ...(access ? { access } : { injector }),
  });
  const started: DiscoverServer[] = [main];
  // Together: the main server owns the shared hub whose closing ends the siblings' held polls too.
  const closeAll = async (): Promise<void> => {
    await Promise.all(started.map((s) => s.close()));
  };
  try {
    const url = await main.listen();
    logger.info({ url, routes: mainRoutes, access: access ? 'tokenreview' : 'none' }, 'discover-service listening');
    if (access && !plan.ops) {
      logger.warn('access control is on but the ops API (every namespace\'s routes) is on the sidecar-facing port: set --ops-listen');
    }
    let ops: DiscoverServer | undefined;
    let opsUrl: string | undefined;
    if (plan.ops) {
      ops = buildServer({ view, ...plan.ops, logger, routes: ['ops'], shared: main });
      started.push(ops);
      opsUrl = await ops.listen();
      logger.info({ url: opsUrl }, 'ops API listening');
    }
    let webhook: DiscoverServer | undefined;
    let webhookUrl: string | undefined;
    if (plan.webhook) {
      const { host, port, certFile, keyFile } = plan.webhook;
      webhook = buildServer({
        view,
        host,
        port,
        logger,
        injector,
        shared: main,
        routes: access ? [] : mainRoutes,
        tls: { cert: await readFile(certFile), key: await readFile(keyFile) },
      });
      started.push(webhook);
      webhookUrl = await webhook.listen();
      logger.info({ url: webhookUrl }, 'admission webhook listening');
    }
    return { main, url, ops, opsUrl, webhook, webhookUrl, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
