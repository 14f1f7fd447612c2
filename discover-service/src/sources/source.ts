import type { KubeObject } from '@meshplug/plugin-api';

/** Kinds of object a source delivers. `Endpoints` only when legacy endpoints are enabled. */
export type ObjectKind = 'Service' | 'EndpointSlice' | 'ConfigMap' | 'Endpoints';
export const OBJECT_KINDS: readonly ObjectKind[] = ['Service', 'EndpointSlice', 'ConfigMap', 'Endpoints'];

/** A problem a source reports about itself (a broken file, a failing watch). */
export interface SourceProblem {
  /** Where: a file path, or `kube:<resource>`. */
  where: string;
  message: string;
}

/** What a source writes into. Implemented by the store. */
export interface SourceSink {
  /** Everything of `kind` is now exactly `objects` (a first list, a relist, a file re-read). */
  replace(kind: ObjectKind, objects: KubeObject[]): void;
  upsert(kind: ObjectKind, object: KubeObject): void;
  remove(kind: ObjectKind, object: KubeObject): void;
  /** A source-level problem; the sink keeps its last good objects. `undefined` clears it. */
  problem(source: string, problem: SourceProblem | undefined): void;
}

/**
 * A swappable origin of Kubernetes objects (file, kube). Every implementation
 * passes the shared conformance test in `test/sources/source-conformance.ts`.
 */
export interface Source {
  /** `file:<path>` or `kube`. */
  readonly name: string;
  /** Starts delivering into `sink`; resolves once the first full list has been delivered. */
  start(sink: SourceSink): Promise<void>;
  /** Stops watching; idempotent. */
  stop(): Promise<void>;
  /** True once the first full list has been delivered. */
  isReady(): boolean;
}
