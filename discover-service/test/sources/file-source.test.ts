import t, { type Test } from 'tap';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '@meshplug/plugin-api';
import { FileSource, type SourceTimers } from '../../src/sources/file-source.js';
import type { ObjectKind, SourceSink } from '../../src/sources/source.js';
import { RecordingSink, eventually, sourceConformance, type SourceHarness } from './source-conformance.js';

async function tempFile(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'meshplug-file-source-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'mesh.yaml');
}

/** Writes a new version atomically, as editors and `kubectl get -o yaml >` + mv do. */
async function writeAtomic(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

const yamlOf = (objects: KubeObject[]): string => objects.map((o) => stringify(o)).join('---\n');

sourceConformance(t, 'FileSource', async (initial) => {
  const path = await tempFile(t);
  const world = new Map<string, KubeObject>();
  const id = (kind: ObjectKind, ns: string, name: string): string => `${kind}|${ns}|${name}`;
  const flush = (): Promise<void> => writeAtomic(path, yamlOf([...world.values()]));
  for (const { kind, object } of initial) world.set(id(kind, object.metadata.namespace ?? '', object.metadata.name), { ...object, kind });
  await flush();
  const source = new FileSource({ path, debounceMs: 10, pollIntervalMs: 100 });
  const harness: SourceHarness = {
    source,
    async apply(kind, object) {
      world.set(id(kind, object.metadata.namespace ?? '', object.metadata.name), { ...object, kind });
      await flush();
    },
    async remove(kind, namespace, name) {
      world.delete(id(kind, namespace, name));
      await flush();
    },
    close: () => source.stop(),
  };
  return harness;
});

const svc = (name: string, ns?: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, ...(ns ? { namespace: ns } : {}) }, spec: { ports: [{ port: 80 }] } }) as KubeObject;

t.test('a broken file keeps the last good state and reports path and line; fixing it clears the problem', async (t) => {
  const path = await tempFile(t);
  await writeAtomic(path, yamlOf([svc('a', 'x'), svc('b', 'x')]));
  const source = new FileSource({ path, debounceMs: 10, pollIntervalMs: 50 });
  t.teardown(() => source.stop());
  const sink = new RecordingSink();
  await source.start(sink);
  t.same([...sink.table('Service').keys()].sort(), ['x/a', 'x/b']);

  const cases: [string, string, RegExp][] = [
    ['a YAML error', `${yamlOf([svc('a', 'x')])}---\nkind: Service\nmetadata: { name: [oops\n`, /YAML/],
    ['an unknown kind', `${yamlOf([svc('a', 'x')])}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d }\n`, /unknown kind "Deployment"/],
    ['a missing name', `${yamlOf([svc('a', 'x')])}---\nkind: ConfigMap\nmetadata: { namespace: x }\n`, /metadata\.name is required/],
    ['a duplicate object', yamlOf([svc('a', 'x'), svc('a', 'x')]), /Service x\/a is defined twice \(first at line 1\)/],
  ];
  for (const [what, text, message] of cases) {
    await writeAtomic(path, text);
    const diff = await eventually(() => (sink.problems.has(source.name) ? undefined : 'no problem yet'), 5000);
    t.equal(diff, undefined, `${what} is reported`);
    const p = sink.problems.get(source.name);
    t.match(p?.message, message, what);
    t.match(p?.where, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+$`), `${what}: where has path and line`);
    t.same([...sink.table('Service').keys()].sort(), ['x/a', 'x/b'], `${what}: last good objects stay`);
    await writeAtomic(path, yamlOf([svc('a', 'x'), svc('b', 'x')]));
    t.equal(await eventually(() => (sink.problems.has(source.name) ? 'still broken' : undefined), 5000), undefined, `${what}: fixing clears it`);
  }
  // The line points at the broken document.
  await writeAtomic(path, `${yamlOf([svc('a', 'x')])}---\nkind: Nope\nmetadata: { name: n }\n`);
  await eventually(() => (sink.problems.has(source.name) ? undefined : 'wait'), 5000);
  const lines = yamlOf([svc('a', 'x')]).split('\n').length;
  t.equal(sink.problems.get(source.name)?.where, `${path}:${lines + 1}`);
});

t.test('a deleted file is a problem; the objects stay until it comes back', async (t) => {
  const path = await tempFile(t);
  await writeAtomic(path, yamlOf([svc('a', 'x')]));
  const source = new FileSource({ path, debounceMs: 10, pollIntervalMs: 50 });
  t.teardown(() => source.stop());
  const sink = new RecordingSink();
  await source.start(sink);
  await rm(path);
  t.equal(await eventually(() => (sink.problems.has(source.name) ? undefined : 'wait'), 5000), undefined);
  t.match(sink.problems.get(source.name)?.message, /cannot read the file/);
  t.ok(sink.table('Service').has('x/a'));
  await writeAtomic(path, yamlOf([svc('a', 'x')]));
  t.equal(await eventually(() => (sink.problems.has(source.name) ? 'wait' : undefined), 5000), undefined, 'same content back clears it');
});

t.test('lists are flattened, namespaces default to default, other fields kept', async (t) => {
  const path = await tempFile(t);
  const list = { apiVersion: 'v1', kind: 'ServiceList', items: [{ metadata: { name: 'l1' }, spec: { ports: [{ port: 1 }] } }] };
  const generic = { apiVersion: 'v1', kind: 'List', items: [{ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { k: 'v' } }] };
  await writeAtomic(path, `${stringify(list)}---\n${stringify(generic)}---\n# empty document\n`);
  const source = new FileSource({ path });
  t.teardown(() => source.stop());
  const sink = new RecordingSink();
  await source.start(sink);
  t.same(sink.table('Service').get('default/l1'), { kind: 'Service', metadata: { name: 'l1', namespace: 'default' }, spec: { ports: [{ port: 1 }] } });
  t.same((sink.table('ConfigMap').get('n/c') as { data?: unknown }).data, { k: 'v' });
  t.same([...sink.table('EndpointSlice').keys()], []);
});

t.test('the fallback poll re-reads without any watch event; debounce coalesces a burst', async (t) => {
  const path = await tempFile(t);
  await writeAtomic(path, yamlOf([svc('a', 'x')]));
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: SourceTimers = {
    setTimeout: (fn, ms) => {
      pending.set(++next, { fn, ms });
      return next;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  const fire = (ms: number): void => {
    for (const [h, timer] of [...pending]) {
      if (timer.ms !== ms) continue;
      pending.delete(h);
      timer.fn();
    }
  };
  let notify: ((f: string | undefined) => void) | undefined;
  let closed = false;
  const source = new FileSource({
    path,
    debounceMs: 7,
    pollIntervalMs: 1000,
    timers,
    watch: (_dir, onEvent) => {
      notify = onEvent;
      return { close: () => (closed = true) };
    },
  });
  const sink = new RecordingSink();
  await source.start(sink);
  await writeAtomic(path, yamlOf([svc('a', 'x'), svc('b', 'x')]));
  t.equal(sink.table('Service').size, 1, 'nothing happens without an event or a poll');
  fire(1000);
  t.equal(await eventually(() => (sink.table('Service').size === 2 ? undefined : 'wait'), 5000), undefined, 'the poll found it');
  t.equal([...pending.values()].filter((p) => p.ms === 1000).length, 1, 'the next poll is scheduled');

  await writeAtomic(path, yamlOf([svc('c', 'x')]));
  notify?.('other.yaml');
  t.equal([...pending.values()].filter((p) => p.ms === 7).length, 0, 'events for other files are ignored');
  notify?.('mesh.yaml');
  notify?.('mesh.yaml');
  notify?.(undefined);
  t.equal([...pending.values()].filter((p) => p.ms === 7).length, 1, 'a burst of events leaves one pending re-read');
  fire(7);
  t.equal(await eventually(() => (sink.table('Service').has('x/c') ? undefined : 'wait'), 5000), undefined);
  await source.stop();
  t.ok(closed, 'stop closes the watcher');
  t.equal(pending.size, 0, 'stop clears the timers');
});

t.test('a missing file fails start; bad options are refused', async (t) => {
  const source = new FileSource({ path: '/nonexistent/meshplug/mesh.yaml' });
  await t.rejects(source.start(new RecordingSink()), { code: 'DISC_ERR_SOURCE_FAILED', message: /cannot read/ });
  t.notOk(source.isReady());
  await source.stop();
  t.throws(() => new FileSource({ path: '', pollIntervalMs: 1 }), {
    code: 'DISC_ERR_INVALID_SOURCE_OPTIONS',
    message: /path must be a file path; pollIntervalMs/,
  });
});

t.test('the shop example loads', async (t) => {
  const source = new FileSource({ path: new URL('../../../manifests/examples/shop.yaml', import.meta.url).pathname });
  t.teardown(() => source.stop());
  const sink = new RecordingSink();
  await source.start(sink);
  t.same(sink.problems.size, 0);
  t.same([...sink.table('Service').keys()].sort(), ['cache/redis', 'shop/tomcat', 'shop/web']);
  t.same([...sink.table('ConfigMap').keys()].sort(), ['meshplug-system/plugin-net-governance-1.0.0', 'shop/component-web', 'shop/mesh-global']);
  t.equal(sink.table('EndpointSlice').size, 3);
});

t.test('a re-read hands the sink only what changed: unchanged documents are not parsed or written again', async (t) => {
  const path = await tempFile(t);
  await writeAtomic(path, yamlOf([svc('a', 'x'), svc('b', 'x'), svc('c', 'x')]));
  const source = new FileSource({ path, debounceMs: 10, pollIntervalMs: 50 });
  t.teardown(() => source.stop());
  const calls: string[] = [];
  const sink = new RecordingSink();
  const counting: SourceSink = {
    replace: (kind, objects) => (calls.push(`replace ${kind} ${objects.length}`), sink.replace(kind, objects)),
    upsert: (kind, object) => (calls.push(`upsert ${kind} ${object.metadata.name}`), sink.upsert(kind, object)),
    remove: (kind, object) => (calls.push(`remove ${kind} ${object.metadata.name}`), sink.remove(kind, object)),
    problem: (source, problem) => sink.problem(source, problem),
  };
  await source.start(counting);
  t.ok(calls.includes('replace Service 3'), 'the first read replaces everything');
  const a = sink.table('Service').get('x/a');
  calls.length = 0;
  await writeAtomic(path, yamlOf([svc('a', 'x'), { ...svc('b', 'x'), spec: { ports: [{ port: 81 }] } } as KubeObject, svc('d', 'x')]));
  t.equal(await eventually(() => (sink.table('Service').has('x/d') ? undefined : 'wait'), 5000), undefined);
  t.strictSame(calls.sort(), ['remove Service c', 'upsert Service b', 'upsert Service d']);
  t.equal(sink.table('Service').get('x/a'), a, 'the unchanged object is the one delivered before');
});

