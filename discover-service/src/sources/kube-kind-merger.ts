import type { KubeObject } from '@meshplug/plugin-api';
import { objectKey } from './kube-object.js';
import type { ObjectKind, SourceSink } from './source.js';

interface Held {
  object: KubeObject;
  /** Arrival order, so the newest copy wins when two informers hold one object. */
  seq: number;
}

/**
 * Several informers can feed one sink kind (three label-selected ConfigMap
 * informers). This keeps each informer's objects apart, so one informer's
 * relist replaces only its own share, and tells the sink only real changes:
 * an object is removed when no informer holds it any more, and a copy the
 * sink already has (same resourceVersion) is not sent again.
 */
export class KubeKindMerger {
  private readonly held = new Map<string, Map<string, Held>>();
  private readonly delivered = new Map<string, KubeObject>();
  private seq = 0;

  constructor(
    private readonly kind: ObjectKind,
    private readonly sink: SourceSink,
  ) {}

  upsert(informer: string, object: KubeObject): void {
    const key = objectKey(object);
    let holders = this.held.get(key);
    if (!holders) {
      holders = new Map();
      this.held.set(key, holders);
    }
    holders.set(informer, { object, seq: ++this.seq });
    this.deliver(key, object);
  }

  remove(informer: string, object: KubeObject): void {
    const key = objectKey(object);
    const holders = this.held.get(key);
    if (!holders?.delete(informer)) return;
    if (holders.size === 0) this.held.delete(key);
    this.deliver(key, object);
  }

  /** `informer` (re)listed: its share is exactly `objects`; the sink gets the whole kind at once. */
  replace(informer: string, objects: KubeObject[]): void {
    for (const [key, holders] of this.held) {
      holders.delete(informer);
      if (holders.size === 0) this.held.delete(key);
    }
    for (const object of objects) {
      const key = objectKey(object);
      let holders = this.held.get(key);
      if (!holders) {
        holders = new Map();
        this.held.set(key, holders);
      }
      holders.set(informer, { object, seq: ++this.seq });
    }
    this.delivered.clear();
    for (const key of this.held.keys()) {
      const current = this.current(key);
      if (current) this.delivered.set(key, current);
    }
    this.sink.replace(this.kind, [...this.delivered.values()]);
  }

  private current(key: string): KubeObject | undefined {
    let best: Held | undefined;
    for (const held of this.held.get(key)?.values() ?? []) {
      if (!best || held.seq > best.seq) best = held;
    }
    return best?.object;
  }

  private deliver(key: string, last: KubeObject): void {
    const current = this.current(key);
    const before = this.delivered.get(key);
    if (!current) {
      if (!before) return;
      this.delivered.delete(key);
      this.sink.remove(this.kind, last);
      return;
    }
    if (before && before.metadata.resourceVersion !== undefined && before.metadata.resourceVersion === current.metadata.resourceVersion) return;
    this.delivered.set(key, current);
    this.sink.upsert(this.kind, current);
  }
}
