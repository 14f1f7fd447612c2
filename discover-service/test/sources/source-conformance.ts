/**
 * The shared conformance test every Source implementation runs (file, kube):
 * start delivers the initial objects and makes the source ready; adds,
 * modifications and removals reach the sink; the sink ends equal to the world;
 * stop() is idempotent and nothing arrives after it.
 */
import type { Test } from 'tap';
import type { KubeObject } from '@meshplug/plugin-api';
import type { ObjectKind, Source, SourceProblem, SourceSink } from '../../src/sources/source.js';

export interface SourceHarness {
  source: Source;
  apply(kind: ObjectKind, object: KubeObject): Promise<void>; // create or replace in the world
  remove(kind: ObjectKind, namespace: string, name: string): Promise<void>;
  close(): Promise<void>;
}

type World = Map<ObjectKind, Map<string, KubeObject>>;

const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** A sink that records the state it was driven to, and every call. */
export class RecordingSink implements SourceSink {
  readonly state: World = new Map();
  readonly problems = new Map<string, SourceProblem>();
  calls = 0;

  replace(kind: ObjectKind, objects: KubeObject[]): void {
    this.calls++;
    this.state.set(kind, new Map(objects.map((o) => [keyOf(o), o])));
  }

  upsert(kind: ObjectKind, object: KubeObject): void {
    this.calls++;
    this.table(kind).set(keyOf(object), object);
  }

  remove(kind: ObjectKind, object: KubeObject): void {
    this.calls++;
    this.table(kind).delete(keyOf(object));
  }

  problem(source: string, problem: SourceProblem | undefined): void {
    this.calls++;
    if (problem === undefined) this.problems.delete(source);
    else this.problems.set(source, problem);
  }

  table(kind: ObjectKind): Map<string, KubeObject> {
    let table = this.state.get(kind);
    if (table === undefined) this.state.set(kind, (table = new Map()));
    return table;
  }
}

/** Every field of `expected` is in `actual` with an equal value; sources may add fields (uid, defaults). */
export function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => contains(actual[i], e));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) return false;
    return Object.entries(expected).every(([k, v]) => contains((actual as Record<string, unknown>)[k], v));
  }
  return actual === expected;
}

/** Why the sink differs from the world, or undefined when it matches. */
export function difference(sink: RecordingSink, world: World): string | undefined {
  for (const kind of new Set([...world.keys(), ...sink.state.keys()])) {
    const want = world.get(kind) ?? new Map<string, KubeObject>();
    const have = sink.state.get(kind) ?? new Map<string, KubeObject>();
    const missing = [...want.keys()].filter((k) => !have.has(k));
    const extra = [...have.keys()].filter((k) => !want.has(k));
    if (missing.length > 0 || extra.length > 0) {
      return `${kind}: missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`;
    }
    for (const [k, o] of want) if (!contains(have.get(k), o)) return `${kind} ${k} differs`;
  }
  return undefined;
}

/** Polls `check` every 20 ms until it gives undefined, for at most `timeoutMs`; returns the last difference. */
export async function eventually(check: () => string | undefined, timeoutMs = 15_000): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let diff = check();
  while (diff !== undefined && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    diff = check();
  }
  return diff;
}

const service = (ns: string, name: string, port: number): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: ns, name, labels: { app: name } },
    spec: { ports: [{ name: 'http', port, targetPort: port, protocol: 'TCP' }], selector: { app: name } },
  }) as KubeObject;

const configMap = (ns: string, name: string, data: Record<string, string>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name }, data }) as KubeObject;

const slice = (ns: string, name: string, svc: string, addresses: string[]): KubeObject =>
  ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: ns, name, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready: true } })),
  }) as KubeObject;

export function sourceConformance(
  t: Test,
  label: string,
  makeHarness: (initial: { kind: ObjectKind; object: KubeObject }[]) => Promise<SourceHarness>,
): void {
  t.test(`${label}: source conformance`, async (t) => {
    const initial: { kind: ObjectKind; object: KubeObject }[] = [
      { kind: 'Service', object: service('conf-a', 'web', 8080) },
      { kind: 'Service', object: service('conf-b', 'db', 5432) },
      { kind: 'EndpointSlice', object: slice('conf-a', 'web-1', 'web', ['127.0.2.1', '127.0.2.2']) },
      { kind: 'ConfigMap', object: configMap('conf-a', 'settings', { mode: 'one' }) },
    ];
    const world: World = new Map();
    const put = (kind: ObjectKind, o: KubeObject): void => {
      if (!world.has(kind)) world.set(kind, new Map());
      world.get(kind)?.set(keyOf(o), o);
    };
    for (const { kind, object } of initial) put(kind, object);

    const h = await makeHarness(initial);
    t.teardown(() => h.close());
    const sink = new RecordingSink();
    t.notOk(h.source.isReady(), 'not ready before start');
    await h.source.start(sink);
    t.ok(h.source.isReady(), 'ready once start resolves');
    t.equal(difference(sink, world), undefined, 'the initial objects are delivered before start resolves');

    const step = async (what: string, change: () => Promise<void>): Promise<void> => {
      await change();
      t.equal(await eventually(() => difference(sink, world)), undefined, what);
    };
    await step('an added object arrives', async () => {
      const o = service('conf-a', 'api', 9090);
      put('Service', o);
      await h.apply('Service', o);
    });
    await step('a modified object arrives', async () => {
      const o = configMap('conf-a', 'settings', { mode: 'two', extra: 'x' });
      put('ConfigMap', o);
      await h.apply('ConfigMap', o);
    });
    await step('a modified slice arrives', async () => {
      const o = slice('conf-a', 'web-1', 'web', ['127.0.2.3']);
      put('EndpointSlice', o);
      await h.apply('EndpointSlice', o);
    });
    await step('a removal arrives', async () => {
      world.get('Service')?.delete('conf-b/db');
      await h.remove('Service', 'conf-b', 'db');
    });
    await step('several changes in a row all arrive', async () => {
      for (let i = 0; i < 5; i++) {
        const o = configMap('conf-b', `burst-${i}`, { i: String(i) });
        put('ConfigMap', o);
        await h.apply('ConfigMap', o);
      }
      world.get('ConfigMap')?.delete('conf-b/burst-2');
      await h.remove('ConfigMap', 'conf-b', 'burst-2');
    });
    t.equal(difference(sink, world), undefined, 'final state equals the world: nothing lost, nothing extra');
    const counts = [...sink.state.values()].reduce((n, m) => n + m.size, 0);
    const expected = [...world.values()].reduce((n, m) => n + m.size, 0);
    t.equal(counts, expected, 'no duplicate objects');

    await h.source.stop();
    await h.source.stop();
    t.pass('stop() is idempotent');
    const callsAtStop = sink.calls;
    await h.apply('Service', service('conf-a', 'late', 1234));
    await h.remove('Service', 'conf-a', 'api');
    // Nothing may arrive: give a source's pending timers and watches time to misbehave.
    await new Promise((r) => setTimeout(r, 300));
    t.equal(sink.calls, callsAtStop, 'nothing reaches the sink after stop()');
  });
}
