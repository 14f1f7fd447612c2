import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '@meshplug/plugin-api';
import type { Test } from 'tap';
import { FakeApiServer } from '../../../test/fake-apiserver/index.js';
import { KubeSource } from '../../src/sources/kube-source.js';
import type { KubeSourceOptions, KubeTimers } from '../../src/sources/kube-source-options.js';
import type { ObjectKind } from '../../src/sources/source.js';
import { RecordingSink } from './source-conformance.js';

/** Polls `check` until it holds; fails after `timeoutMs` with `what`. */
export async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The shared recording sink, plus a log of every call, for assertions about what was sent. */
export class CallLogSink extends RecordingSink {
  readonly log: { op: 'replace' | 'upsert' | 'remove'; kind: ObjectKind; key?: string }[] = [];

  override replace(kind: ObjectKind, objects: KubeObject[]): void {
    this.log.push({ op: 'replace', kind });
    super.replace(kind, objects);
  }

  override upsert(kind: ObjectKind, object: KubeObject): void {
    this.log.push({ op: 'upsert', kind, key: `${object.metadata.namespace}/${object.metadata.name}` });
    super.upsert(kind, object);
  }

  override remove(kind: ObjectKind, object: KubeObject): void {
    this.log.push({ op: 'remove', kind, key: `${object.metadata.namespace}/${object.metadata.name}` });
    super.remove(kind, object);
  }

  get(kind: ObjectKind, namespace: string, name: string): KubeObject | undefined {
    return this.state.get(kind)?.get(`${namespace}/${name}`);
  }

  /** `namespace/name` of every object of `kind`, sorted. */
  keys(kind: ObjectKind): string[] {
    return [...(this.state.get(kind)?.keys() ?? [])].sort();
  }

  count(op: 'replace' | 'upsert' | 'remove', kind: ObjectKind): number {
    return this.log.filter((c) => c.op === op && c.kind === kind).length;
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
): Promise<{ fake: FakeApiServer; source: KubeSource; sink: CallLogSink; timers: ManualTimers }> {
  const fake = await FakeApiServer.start();
  const timers = new ManualTimers();
  const source = new KubeSource({ kubeConfig: kubeConfigFor(fake), timers, minBackoffMs: 100, maxBackoffMs: 1000, ...options });
  const sink = new CallLogSink();
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
