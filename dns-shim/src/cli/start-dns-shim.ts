import type { AddressInfo } from 'node:net';
import { DiscoverClient, splitDiscoverUrl, tokenFromFile } from '@meshplug/plugin-api';
import type { Logger } from 'pino';
import { parseHostPort } from '../config/host-port.js';
import type { DnsShimOptions } from '../config/dns-shim-options.js';
import { DnsShim } from '../dns-shim.js';
import { DnsShimErrors } from '../errors.js';
import { MetricsServer } from '../metrics/metrics-server.js';
import { TableFollower } from '../table/table-follower.js';

/**
 * What `meshplug dns` runs: the server, where its table comes from, and its metrics endpoint.
 * mesh-proxy hosting the pod DNS (`meshplug proxy --dns-listen`) starts it without `configUrl`
 * and hands the shim each applied document's table itself.
 */
export interface StartDnsShimOptions {
  /** Options of the DNS server itself. */
  shim: DnsShimOptions;
  /** discover-service: a base URL, or the full `/v1/mesh/{ns}/{svc}` URL. None: the state dir and `shim.setTable` callers only. */
  configUrl?: string;
  /** With a base `configUrl`: the component whose table is followed. */
  namespace?: string;
  service?: string;
  /** Directory shared with mesh-proxy. */
  stateDir?: string;
  /** `x-meshplug-proxy-id` sent to discover-service. */
  proxyId: string;
  /**
   * Bearer-token file sent to discover-service (the injected projected ServiceAccount token,
   * `MESHPLUG_TOKEN_FILE`); re-read before every request since kubelet rotates it. None: no header.
   */
  tokenFile?: string;
  /** `IP:PORT` of `/stats` and `/ready`; none disables it. */
  metricsListen?: string;
  logger: Logger;
}

export interface RunningDnsShim {
  shim: DnsShim;
  address: AddressInfo;
  metricsAddress: AddressInfo | undefined;
  stop(): Promise<void>;
}

/** The document path a config URL names, or builds from namespace and service. */
export function meshDocumentLocation(
  configUrl: string,
  namespace: string | undefined,
  service: string | undefined,
): { baseUrl: string; path: string } {
  const { baseUrl, documentPath } = splitDiscoverUrl(configUrl);
  if (documentPath !== undefined && /^\/v1\/mesh\/[^/]+\/[^/]+\/?$/.test(documentPath)) {
    return { baseUrl, path: documentPath.replace(/\/$/, '') };
  }
  if (namespace === undefined || namespace === '' || service === undefined || service === '') {
    throw new DnsShimErrors.DNS_ERR_INVALID_OPTIONS(
      `config URL ${configUrl} does not name /v1/mesh/{namespace}/{service}: give --namespace and --service`,
    );
  }
  return { baseUrl, path: `/v1/mesh/${encodeURIComponent(namespace)}/${encodeURIComponent(service)}` };
}

export async function startDnsShim(options: StartDnsShimOptions): Promise<RunningDnsShim> {
  const metricsAt = options.metricsListen === undefined ? undefined : parseHostPort(options.metricsListen, true);
  if (options.metricsListen !== undefined && metricsAt === undefined) {
    throw new DnsShimErrors.DNS_ERR_INVALID_OPTIONS(`metrics ${options.metricsListen}: must be IP:PORT`);
  }
  const location =
    options.configUrl === undefined ? undefined : meshDocumentLocation(options.configUrl, options.namespace, options.service);
  const shim = new DnsShim({ ...options.shim, logger: options.logger });
  const client =
    location === undefined
      ? undefined
      : new DiscoverClient({
          baseUrl: location.baseUrl,
          headers: { 'x-meshplug-proxy-kind': 'dns-shim', 'x-meshplug-proxy-id': options.proxyId },
          ...(options.tokenFile === undefined ? {} : { token: tokenFromFile(options.tokenFile) }),
          logger: options.logger,
        });
  const follower = new TableFollower({
    shim,
    ...(client === undefined || location === undefined ? {} : { client, path: location.path }),
    ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
    logger: options.logger,
  });
  const metrics = new MetricsServer(shim);
  // The saved table first, so the very first query can already be a mesh name.
  await follower.start();
  const stops: (() => Promise<void>)[] = [() => follower.stop()];
  try {
    const address = await shim.start();
    stops.push(() => shim.stop());
    const metricsAddress = metricsAt === undefined ? undefined : await metrics.listen(metricsAt);
    stops.push(() => metrics.close());
    return {
      shim,
      address,
      metricsAddress,
      stop: async () => {
        for (const stop of stops.reverse()) await stop();
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop();
    throw err;
  }
}
