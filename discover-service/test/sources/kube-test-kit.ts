import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '@meshplug/plugin-api';
import type { Test } from 'tap';
import { FakeApiServer } from '../../../test/fake-apiserver/index.js';
import { KubeSource } from '../../src/sources/kube-source.js';
import type { KubeSourceOptions, KubeTimers } from '../../src/sources/kube-source-options.js';
import type { ObjectKind, SourceProblem, SourceSink } from '../../src/sources/source.js';

/** Polls `check` until it holds; fails after `timeoutMs` with `what`. */
export async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A sink that keeps the state it was told, and every call, for assertions. */
export class RecordingSink implements SourceSink {
  readonly state = new Map<ObjectKind, Map<string, KubeObject>>();
  readonly calls: { op: 'replace' | 'upsert' | 'remove'; kind: ObjectKind; key?: string }[] = [];
  problems = new Map<string, SourceProblem>();
  readonly problemLog: (SourceProblem | undefined)[] = [];

  replace(kind: ObjectKind, objects: KubeObject[]): void {
    this.calls.push({ op: 'replace', kind });
    this.state.set(kind, new Map(objects.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o])));
  }

  upsert(kind: ObjectKind, object: KubeObject): void {
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    this.calls.push({ op: 'upsert', kind, key });
    this.kind(kind).set(key, object);
  }

  remove(kind: ObjectKind, object: KubeObject): void {
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    this.calls.push({ op: 'remove', kind, key });
    this.kind(kind).delete(key);
  }

  problem(source: string, problem: SourceProblem | undefined): void {
    this.problemLog.push(problem);
    if (problem === undefined) this.problems.delete(source);
    else this.problems.set(source, problem);
  }

  get(kind: ObjectKind, namespace: string, name: string): KubeObject | undefined {
    return this.state.get(kind)?.get(`${namespace}/${name}`);
  }

  /** `namespace/name` of every object of `kind`, sorted. */
  keys(kind: ObjectKind): string[] {
    return [...(this.state.get(kind)?.keys() ?? [])].sort();
  }

  count(op: 'replace' | 'upsert' | 'remove', kind: ObjectKind): number {
    return this.calls.filter((c) => c.op === op && c.kind === kind).length;
  }

  private kind(kind: ObjectKind): Map<string, KubeObject> {
    let map = this.state.get(kind);
    if (!map) {
      map = new Map();
      this.state.set(kind, map);
    }
    return map;
  }
}

/** Timers that only fire when the test says so; they record every requested delay. */
export class ManualTimers implements KubeTimers {
  readonly delays: number[] = [];
  private pending = new Map<number, () => void>();
  private next = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    this.delays.push(ms);
    const id = this.next++;
    this.pending.set(id, callback);
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Runs every pending callback once. */
  fire(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const callback of due) callback();
  }
}

export function kubeConfigFor(fake: FakeApiServer): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions(fake.kubeconfig());
  return kc;
}

/** A fake API server, a KubeSource on it and a recording sink; everything closed at teardown. */
export async function kubeWorld(
  t: Test,
  options: KubeSourceOptions = {},
  { start = true }: { start?: boolean } = {},
): Promise<{ fake: FakeApiServer; source: KubeSource; sink: RecordingSink; timers: ManualTimers }> {
  const fake = await FakeApiServer.start();
  const timers = new ManualTimers();
  const source = new KubeSource({ kubeConfig: kubeConfigFor(fake), timers, minBackoffMs: 100, maxBackoffMs: 1000, ...options });
  const sink = new RecordingSink();
  t.teardown(async () => {
    await source.stop();
    await fake.close();
  });
  if (start) {
    await source.start(sink);
    // start() waits for the lists; tests that cut watches need them all open first.
    const informers = options.legacyEndpoints ? 6 : 5;
    await until('every informer watching', () => fake.openWatches() === informers);
  }
  return { fake, source, sink, timers };
}

export function service(namespace: string, name: string, port = 8080, labels: Record<string, string> = {}): KubeObject & { spec: unknown } {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: { ports: [{ name: 'http', port, targetPort: port, protocol: 'TCP' }], selector: { app: name } },
  };
}

export function endpointSlice(namespace: string, service: string, addresses: string[], port = 8080): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-abcde`, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints: addresses.map((address) => ({ addresses: [address], conditions: { ready: true } })),
    ports: [{ name: 'http', port, protocol: 'TCP' }],
  } as KubeObject;
}

export function configMap(namespace: string, name: string, labels: Record<string, string>, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data } as KubeObject;
}
