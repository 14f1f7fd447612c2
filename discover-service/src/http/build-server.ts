import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { DiscoverErrors } from '../errors.js';
import { ProxyRegistry } from '../proxies/proxy-registry.js';
import { ConnectionTracker } from './connection-tracker.js';
import { handleError, handleNotFound } from './error-handler.js';
import { LongPollHub } from './long-poll-hub.js';
import { configRoutes } from './routes/config-routes.js';
import { opsRoutes } from './routes/ops-routes.js';
import { dashboardRoutes } from './routes/dashboard-routes.js';
import { stateRoutes } from './routes/state-routes.js';
import { reportRoutes, statsRoutes } from './routes/report-routes.js';
import { injectRoutes } from './routes/inject-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import type { ServerContext, SharedServerState } from './server-context.js';
import { ServerMetrics } from './server-metrics.js';
import { resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from './server-options.js';

/** A built discover-service HTTP server. */
export interface DiscoverServer {
  /** The fastify instance (`inject()` works without listening). */
  readonly app: FastifyInstance;
  readonly options: ResolvedServerOptions;
  /** The held long polls. */
  readonly hub: LongPollHub;
  /** The sidecars seen polling. */
  readonly proxies: ProxyRegistry;
  readonly metrics: ServerMetrics;
  /** Listens on the configured host and port; resolves the base URL, e.g. `http://127.0.0.1:6100`. */
  listen(): Promise<string>;
  /**
   * Answers every held poll (304), then stops listening; idempotent. A listener built with
   * `shared` leaves the shared hub to its owner: close the owner too (or first).
   */
  close(): Promise<void>;
}

/** Builds the discover-service HTTP API over a MeshView (see DESIGN.md, "Ops API" and "Sidecar config API"). */
export function buildServer(serverOptions: ServerOptions): DiscoverServer {
  const options = resolveServerOptions(serverOptions);
  const { logger } = options;
  const shared = options.shared ?? ownState(options);
  const { hub, proxies, metrics } = shared;
  const ctx: ServerContext = { options, hub, proxies, metrics };

  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast only keeps the instance's default generics.
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // Names in paths are Kubernetes names (up to 253 characters).
    routerOptions: { maxParamLength: 253 },
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
  });
  // Responses go out with JSON.stringify: the schemas document the API, they never silently drop a field.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    request.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  const connections = new ConnectionTracker(app.server);
  // Held polls would keep close() waiting for up to a minute: answer them first, and drop
  // connections with nothing in flight rather than wait for their clients to hang up.
  app.addHook('preClose', async () => {
    if (options.shared === undefined) hub.close();
    connections.destroyIdle();
  });

  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'meshplug discover-service',
        description: 'DISCOVER_URL plugin resources, the sidecar config API and the ops API.',
        version: '1',
      },
      tags: [
        { name: 'config', description: 'Versioned documents with ETag and long polls' },
        { name: 'ops', description: 'What the mesh looks like now' },
        { name: 'health', description: 'Probes, metrics and this document' },
      ],
    },
  });
  void app.register(healthRoutes(ctx));
  if (options.routes.includes('config')) void app.register(configRoutes(ctx));
  if (options.routes.includes('config')) void app.register(reportRoutes(ctx));
  if (options.routes.includes('ops')) void app.register(opsRoutes(ctx));
  if (options.routes.includes('ops')) void app.register(statsRoutes(ctx));
  // The dashboard and its state version go wherever the ops lists it reads are served.
  if (options.routes.includes('ops')) void app.register(stateRoutes(ctx));
  if (options.routes.includes('ops')) void app.register(dashboardRoutes());
  if (options.injector) void app.register(injectRoutes(options.injector));

  let closing: Promise<void> | undefined;
  return {
    app,
    options,
    hub,
    proxies,
    metrics,
    async listen() {
      try {
        await app.listen({ host: options.host, port: options.port });
      } catch (err) {
        throw new DiscoverErrors.DISC_ERR_LISTEN_FAILED(`${options.host}:${options.port}: ${(err as Error).message}`, { cause: err });
      }
      const address = app.server.address();
      if (address === null || typeof address === 'string') return String(address);
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `${options.tls ? 'https' : 'http'}://${host}:${address.port}`;
    },
    close() {
      closing ??= app.close().then(() => undefined);
      return closing;
    },
  };
}

/** A hub, registry and metrics of this server's own (it is the only listener, or the first). */
function ownState(options: ResolvedServerOptions): SharedServerState {
  const { view } = options;
  const hub = new LongPollHub(view, options.timers);
  const proxies = new ProxyRegistry({ ttlMs: options.proxyTtlMs, maxEntries: options.maxProxies, clock: options.clock });
  const metrics = new ServerMetrics({
    waiters: () => hub.size,
    configErrors: () => view.errors().length,
    connectedProxies: () => proxies.connected,
  });
  return { hub, proxies, metrics };
}
