import type { KubeConfig } from '@kubernetes/client-node';
import { silentLogger, type Logger } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';

/** The timer functions the kube source schedules restarts with; tests inject fake ones. */
export interface KubeTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of the `kube` source. */
export interface KubeSourceOptions {
  /**
   * Client configuration to use as is (tests pass one pointing at the fake API server).
   * Default: `kubeconfigPath` if set, else `KubeConfig.loadFromDefault()` (KUBECONFIG,
   * ~/.kube/config, then the in-cluster service account).
   */
  kubeConfig?: KubeConfig;
  /** A kubeconfig file (`meshplug serve --kubeconfig PATH`); ignored when `kubeConfig` is given. */
  kubeconfigPath?: string;
  /** Watch only this namespace (for namespace-scoped RBAC). Default: all namespaces. */
  namespace?: string;
  /** Also read legacy core/v1 `Endpoints` (clusters without EndpointSlices). Default false. */
  legacyEndpoints?: boolean;
  /** First restart delay after an informer error, in ms. Default 500. */
  minBackoffMs?: number;
  /** Upper bound of the restart delay, in ms (doubling stops here). Default 30000. */
  maxBackoffMs?: number;
  /** Timers for the restart delays. Default: the global setTimeout/clearTimeout. */
  timers?: KubeTimers;
  /** Uniform random numbers in [0, 1) for backoff jitter. Default Math.random. */
  random?: () => number;
  /** Parent logger; the source logs through a `kube-source` child. Default: silent. */
  logger?: Logger;
}

export type ResolvedKubeSourceOptions = Readonly<
  Required<Omit<KubeSourceOptions, 'kubeConfig' | 'kubeconfigPath' | 'namespace'>> &
    Pick<KubeSourceOptions, 'kubeConfig' | 'kubeconfigPath' | 'namespace'>
>;

export const KUBE_SOURCE_DEFAULTS = Object.freeze({
  legacyEndpoints: false,
  minBackoffMs: 500,
  maxBackoffMs: 30_000,
});

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Applies the defaults, validates once, and freezes. */
export function resolveKubeSourceOptions(options: KubeSourceOptions = {}): ResolvedKubeSourceOptions {
  const resolved = {
    ...KUBE_SOURCE_DEFAULTS,
    timers: { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout } as unknown as KubeTimers,
    random: Math.random,
    logger: silentLogger(),
    ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
  } as ResolvedKubeSourceOptions;
  const problems: string[] = [];
  const { minBackoffMs, maxBackoffMs, namespace } = resolved;
  if (!Number.isFinite(minBackoffMs) || minBackoffMs <= 0) problems.push(`minBackoffMs must be a positive number (got ${minBackoffMs})`);
  if (!Number.isFinite(maxBackoffMs) || maxBackoffMs < minBackoffMs) {
    problems.push(`maxBackoffMs must be a number >= minBackoffMs (got ${maxBackoffMs})`);
  }
  if (namespace !== undefined && !DNS_LABEL.test(namespace)) problems.push(`namespace must be a DNS label (got "${namespace}")`);
  if (typeof resolved.legacyEndpoints !== 'boolean') problems.push('legacyEndpoints must be a boolean');
  if (typeof resolved.timers.setTimeout !== 'function' || typeof resolved.timers.clearTimeout !== 'function') {
    problems.push('timers must provide setTimeout and clearTimeout');
  }
  if (typeof resolved.random !== 'function') problems.push('random must be a function');
  if (problems.length > 0) throw new DiscoverErrors.DISC_ERR_KUBE_INVALID_OPTIONS(problems.join('; '));
  return Object.freeze(resolved);
}
