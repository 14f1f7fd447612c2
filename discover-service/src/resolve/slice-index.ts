import { LABEL_SERVICE_NAME, type KubeObject } from '@meshplug/plugin-api';

/** Which EndpointSlices belong to which Service (label `kubernetes.io/service-name`), kept current per change. */
export class SliceIndex {
  private readonly byService = new Map<string, Set<string>>();
  private readonly serviceOf = new Map<string, string>();

  /**
   * Records the slice `key` as it is now (`undefined`: gone); returns the
   * Services (`ns/name`) whose endpoints may have changed.
   */
  update(key: string, slice: KubeObject | undefined): string[] {
    const touched: string[] = [];
    const before = this.serviceOf.get(key);
    if (before !== undefined) {
      const set = this.byService.get(before);
      set?.delete(key);
      if (set?.size === 0) this.byService.delete(before);
      this.serviceOf.delete(key);
      touched.push(before);
    }
    const label = slice?.metadata.labels?.[LABEL_SERVICE_NAME];
    if (slice !== undefined && label !== undefined) {
      const after = `${slice.metadata.namespace ?? ''}/${label}`;
      this.serviceOf.set(key, after);
      let set = this.byService.get(after);
      if (set === undefined) this.byService.set(after, (set = new Set()));
      set.add(key);
      if (after !== before) touched.push(after);
    }
    return touched;
  }

  /** The slice keys of a Service, sorted so endpoint order never depends on arrival order. */
  slicesOf(serviceKey: string): string[] {
    return [...(this.byService.get(serviceKey) ?? [])].sort();
  }
}
