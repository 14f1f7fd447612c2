import type { KubeObject } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';
import { OBJECT_KINDS, type ObjectKind, type SourceProblem, type SourceSink } from '../sources/source.js';

/** `namespace/name`; cluster-scoped objects get an empty namespace. */
export function objectKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/** One notification: everything the sink calls of one tick changed. */
export interface ChangeBatch {
  /** Store generation after this batch. */
  readonly generation: number;
  /**
   * Keys touched per kind, each with the object as it was before the batch
   * (`undefined` when it is new), so consumers can drop stale index entries.
   */
  readonly changes: ReadonlyMap<ObjectKind, ReadonlyMap<string, KubeObject | undefined>>;
  /** Whether a source problem was raised or cleared. */
  readonly problemsChanged: boolean;
}

export interface StoreOptions {
  /**
   * Schedules the flush of pending changes; every sink call before it runs
   * lands in one batch. Default: `queueMicrotask` (one batch per tick).
   */
  schedule?: (flush: () => void) => void;
}

function sameObject(a: KubeObject, b: KubeObject): boolean {
  // Sources hand back the very same object for an unchanged one (the file source's document cache).
  if (a === b) return true;
  const ra = a.metadata.resourceVersion;
  if (ra !== undefined && ra === b.metadata.resourceVersion && a.metadata.uid === b.metadata.uid) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The objects every source delivers, per kind and `namespace/name`, plus the
 * sources' problems. Writes that change nothing (a file re-read, a relist)
 * are dropped, so consumers only see real changes, batched per tick.
 */
export class Store implements SourceSink {
  private readonly objects = new Map<ObjectKind, Map<string, KubeObject>>(OBJECT_KINDS.map((k) => [k, new Map()]));
  private readonly sourceProblems = new Map<string, SourceProblem>();
  private readonly listeners = new Set<(batch: ChangeBatch) => void>();
  private readonly schedule: (flush: () => void) => void;
  private pending = new Map<ObjectKind, Map<string, KubeObject | undefined>>();
  private pendingProblems = false;
  private scheduled = false;
  private gen = 0;

  constructor(options: StoreOptions = {}) {
    this.schedule = options.schedule ?? queueMicrotask;
  }

  /** Increases with every batch that changed something. */
  get generation(): number {
    return this.gen;
  }

  get(kind: ObjectKind, namespace: string, name: string): KubeObject | undefined {
    return this.table(kind).get(`${namespace}/${name}`);
  }

  getByKey(kind: ObjectKind, key: string): KubeObject | undefined {
    return this.table(kind).get(key);
  }

  list(kind: ObjectKind): IterableIterator<KubeObject> {
    return this.table(kind).values();
  }

  size(kind: ObjectKind): number {
    return this.table(kind).size;
  }

  /** Current source problems, by source name. */
  problems(): ReadonlyMap<string, SourceProblem> {
    return this.sourceProblems;
  }

  replace(kind: ObjectKind, objects: KubeObject[]): void {
    const table = this.table(kind);
    const incoming = new Map(objects.map((o) => [objectKey(o), o]));
    for (const [key, old] of table) {
      if (!incoming.has(key)) {
        table.delete(key);
        this.touch(kind, key, old);
      }
    }
    for (const [key, object] of incoming) this.put(kind, key, object);
  }

  upsert(kind: ObjectKind, object: KubeObject): void {
    this.put(kind, objectKey(object), object);
  }

  remove(kind: ObjectKind, object: KubeObject): void {
    const key = objectKey(object);
    const table = this.table(kind);
    const old = table.get(key);
    if (old === undefined) return;
    table.delete(key);
    this.touch(kind, key, old);
  }

  problem(source: string, problem: SourceProblem | undefined): void {
    const old = this.sourceProblems.get(source);
    if (problem === undefined) {
      if (old === undefined) return;
      this.sourceProblems.delete(source);
    } else {
      if (old !== undefined && old.where === problem.where && old.message === problem.message) return;
      this.sourceProblems.set(source, { ...problem });
    }
    this.pendingProblems = true;
    this.request();
  }

  /**
   * Subscribes to change batches; returns an unsubscribe. Listeners run in
   * subscription order, synchronously in the flush.
   */
  onChange(listener: (batch: ChangeBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Emits pending changes now. Readers call it before a lookup so what they
   * compute never lags behind what the store holds.
   */
  flush(): void {
    if (this.pending.size === 0 && !this.pendingProblems) return;
    const batch: ChangeBatch = { generation: ++this.gen, changes: this.pending, problemsChanged: this.pendingProblems };
    this.pending = new Map();
    this.pendingProblems = false;
    for (const listener of [...this.listeners]) listener(batch);
  }

  private put(kind: ObjectKind, key: string, object: KubeObject): void {
    const table = this.table(kind);
    const old = table.get(key);
    if (old !== undefined && sameObject(old, object)) return;
    table.set(key, object);
    this.touch(kind, key, old);
  }

  private touch(kind: ObjectKind, key: string, old: KubeObject | undefined): void {
    let changes = this.pending.get(kind);
    if (changes === undefined) {
      changes = new Map();
      this.pending.set(kind, changes);
    }
    // The first "before" of a batch is the one consumers indexed.
    if (!changes.has(key)) changes.set(key, old);
    this.request();
  }

  private request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private table(kind: ObjectKind): Map<string, KubeObject> {
    const table = this.objects.get(kind);
    if (table === undefined) throw new DiscoverErrors.DISC_ERR_INTERNAL(`unknown object kind ${String(kind)}`);
    return table;
  }
}
