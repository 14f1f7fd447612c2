import {
  injectPod,
  resolveInjectOptions,
  uninjectPod,
  type InjectOptions,
  type InjectResult,
  type PodTemplate,
  type Service,
} from '@meshplug/plugin-api';
import { findInjectTarget, type InjectLookup } from './inject-target.js';

/** What the injector reads: components and Services (the Resolver, or one over a manifest file). */
export interface InjectorLookup extends InjectLookup {
  serviceObject(key: string): Service | undefined;
}

/** Options of {@link PodInjector}. */
export interface PodInjectorOptions {
  lookup: InjectorLookup;
  /** Fixed inject options; `discoverHost` and `upstreamDns` may instead come from the two Services below. */
  inject?: Partial<InjectOptions>;
  /** `namespace/name` of discover-service's own Service: its ClusterIP is what sidecars dial before DNS works. */
  discoverService?: string;
  /** `namespace/name` of the cluster DNS Service (kube-dns): dns-shim's upstream is its ClusterIP on port 53. */
  clusterDns?: string;
}

/** Injects pods from the resolved mesh: finds the pod's component and renders its plugins. */
export class PodInjector {
  private readonly lookup: InjectorLookup;
  private readonly fixed: Partial<InjectOptions>;
  private readonly discoverService: string | undefined;
  private readonly clusterDns: string | undefined;

  constructor(options: PodInjectorOptions) {
    this.lookup = options.lookup;
    this.fixed = { ...options.inject };
    this.discoverService = options.discoverService;
    this.clusterDns = options.clusterDns;
    // Fail at startup, not on the first pod, when the fixed options are wrong.
    resolveInjectOptions(this.fixed);
  }

  /** Options for the next pod: Service addresses are read now, since ClusterIPs can appear after startup. */
  currentOptions(): Readonly<InjectOptions> {
    const clusterIp = (key: string | undefined): string | undefined => {
      const ip = key === undefined ? undefined : this.lookup.serviceObject(key)?.spec?.clusterIP;
      return ip !== undefined && ip !== '' && ip !== 'None' ? ip : undefined;
    };
    const discoverHost = clusterIp(this.discoverService);
    const dnsIp = clusterIp(this.clusterDns);
    return resolveInjectOptions({
      ...this.fixed,
      ...(discoverHost !== undefined && this.fixed.discoverHost === undefined ? { discoverHost } : {}),
      ...(dnsIp !== undefined && this.fixed.upstreamDns === undefined ? { upstreamDns: `${dnsIp}:53` } : {}),
    });
  }

  /**
   * The injected pod and the component's Service name, or `undefined` when the pod belongs to no component (left alone).
   * Throws API_ERR_INJECT_REFUSED / DISC_ERR_INJECT_AMBIGUOUS with the reason.
   */
  inject(namespace: string, pod: PodTemplate): (InjectResult & { service: string }) | undefined {
    // Named target ports are looked up on the app's own containers, as they were before any injection.
    const containers = uninjectPod(pod).spec.containers;
    const target = findInjectTarget(this.lookup, namespace, pod.metadata?.labels ?? {}, containers);
    if (target === undefined) return undefined;
    return { ...injectPod(pod, target, this.currentOptions()), service: target.service };
  }
}
