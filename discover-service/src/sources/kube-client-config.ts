import { KubeConfig } from '@kubernetes/client-node';
import { DiscoverErrors } from '../errors.js';
import type { ResolvedKubeSourceOptions } from './kube-source-options.js';

/** client-node's last resort when it finds nothing: an unauthenticated localhost:8080. */
const NOTHING_FOUND = 'http://localhost:8080';

/** The client configuration: given, from a file, or found the way kubectl finds it (or in-cluster). */
export function loadKubeConfig(options: Pick<ResolvedKubeSourceOptions, 'kubeConfig' | 'kubeconfigPath'>): KubeConfig {
  if (options.kubeConfig) return options.kubeConfig;
  const kc = new KubeConfig();
  try {
    if (options.kubeconfigPath !== undefined) kc.loadFromFile(options.kubeconfigPath);
    else kc.loadFromDefault();
  } catch (err) {
    const reason = (err as Error).message;
    throw new DiscoverErrors.DISC_ERR_KUBE_CONFIG(options.kubeconfigPath === undefined ? reason : `${options.kubeconfigPath}: ${reason}`, { cause: err });
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new DiscoverErrors.DISC_ERR_KUBE_CONFIG('the kubeconfig has no current cluster');
  if (options.kubeconfigPath === undefined && cluster.server === NOTHING_FOUND) {
    throw new DiscoverErrors.DISC_ERR_KUBE_CONFIG('no kubeconfig found (set KUBECONFIG or --kubeconfig, or run in a cluster)');
  }
  return kc;
}
