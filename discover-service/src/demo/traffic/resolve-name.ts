import { Resolver } from 'node:dns/promises';
import { DiscoverErrors } from '../../errors.js';
import { searchCandidates } from './search-list.js';

/** How a pod's resolver is set up: its dns-shim and the injected search list. */
export interface PodResolverConfig {
  /** The pod's nameserver, `IP:PORT`. */
  server: string;
  searches: readonly string[];
  /** Default 5, as the injector sets it. */
  ndots?: number;
  /** One query's bound, ms. Default 2000. */
  timeoutMs?: number;
}

export interface Resolved {
  /** The name that answered. */
  name: string;
  addresses: string[];
}

/** Resolves `name` the way the pod's libc would, through its dns-shim; throws DISC_ERR_DEMO_TRAFFIC when no candidate answers. */
export async function resolveName(name: string, config: PodResolverConfig): Promise<Resolved> {
  const resolver = new Resolver({ timeout: config.timeoutMs ?? 2000, tries: 1 });
  resolver.setServers([config.server]);
  const tried: string[] = [];
  for (const candidate of searchCandidates(name, config.searches, config.ndots ?? 5)) {
    try {
      const addresses = await resolver.resolve4(candidate);
      if (addresses.length > 0) return { name: candidate, addresses };
      tried.push(`${candidate}: no address`);
    } catch (err) {
      tried.push(`${candidate}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  throw new DiscoverErrors.DISC_ERR_DEMO_TRAFFIC(`${name} did not resolve via ${config.server} (${tried.join('; ')})`);
}
