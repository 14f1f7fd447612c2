import t from 'tap';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '@meshplug/plugin-api';
import { ManifestParser, parseManifest, type ParsedManifest } from '../../src/sources/manifest-file.js';

const svc = (name: string, extra: object = {}): object => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'x' }, spec: { ports: [{ port: 80 }] }, ...extra });
const slice = (name: string, address: string): object => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${name}-a`, namespace: 'x', labels: { 'kubernetes.io/service-name': name } },
  endpoints: [{ addresses: [address], conditions: { ready: true } }],
});
const file = (docs: object[]): Buffer => Buffer.from(docs.map((d) => stringify(d)).join('---\n'));
const objects = (parsed: ParsedManifest): KubeObject[] => {
  if (!parsed.ok) throw new Error(`refused: line ${parsed.problem.line}: ${parsed.problem.message}`);
  return [...parsed.objects.values()].flat();
};

t.test('gives exactly what the yaml package gives, on the fast path and the fallback alike', async (t) => {
  const text = [
    stringify(svc('a', { metadata: { name: 'a', namespace: 'x', labels: { version: '1.0', n: 1 } }, extra: { on: 'yes', at: '2024-01-01', big: 0o17 } })),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: &m { name: anchored, namespace: x }\ndata: { copy: *m }\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: tagged, namespace: x }\ndata: { when: !custom 2024 }\n',
    '# just a comment\n',
    'kind: Service\nmetadata: { name: defaulted }\n',
  ].join('---\n');
  const expected = parseAllDocuments(text)
    .map((d) => d.toJS() as Record<string, unknown> | null)
    .filter((v): v is Record<string, unknown> => v !== null)
    .map((v) => {
      const meta = v['metadata'] as Record<string, unknown>;
      return { ...v, metadata: { ...meta, namespace: meta['namespace'] ?? 'default' } };
    });
  const got = objects(parseManifest(text));
  const order = (list: { kind?: unknown; metadata?: unknown }[]): string[] => list.map((o) => `${String(o.kind)}/${JSON.stringify(o.metadata)}`).sort();
  t.strictSame(order(got as never), order(expected as never));
  for (const object of got) {
    t.strictSame(object, expected.find((e) => JSON.stringify(e['metadata']) === JSON.stringify(object.metadata)), object.metadata.name);
  }
});

t.test('a re-parse gives the same objects for unchanged documents and new ones for changed documents', async (t) => {
  const parser = new ManifestParser();
  const before = objects(parser.parse(file([svc('a'), slice('a', '198.18.0.1'), svc('b'), slice('b', '198.18.0.2')])));
  const after = objects(parser.parse(file([svc('a'), slice('a', '198.18.0.1'), svc('b'), slice('b', '198.18.0.9')])));
  const find = (list: KubeObject[], kind: string, name: string): KubeObject | undefined => list.find((o) => o.kind === kind && o.metadata.name === name);
  t.equal(find(after, 'Service', 'a'), find(before, 'Service', 'a'), 'unchanged: the very same object');
  t.equal(find(after, 'EndpointSlice', 'a-a'), find(before, 'EndpointSlice', 'a-a'));
  t.not(find(after, 'EndpointSlice', 'b-a'), find(before, 'EndpointSlice', 'b-a'), 'changed: a new object');
  t.match(find(after, 'EndpointSlice', 'b-a'), { endpoints: [{ addresses: ['198.18.0.9'] }] });

  const moved = objects(parser.parse(file([svc('c'), svc('b'), svc('a')])));
  t.equal(find(moved, 'Service', 'a'), find(before, 'Service', 'a'), 'a document that moved is still the same object');
  t.equal(find(moved, 'Service', 'c')?.metadata.name, 'c');
  t.equal(moved.length, 3, 'documents that are gone are gone');
});

t.test('problems carry the line in the whole file, whichever document they are in', async (t) => {
  const head = stringify(svc('a'));
  const headLines = head.split('\n').length - 1;
  const cases: [string, number, RegExp][] = [
    [`${head}---\nkind: Service\nmetadata: { name: [oops\n`, headLines + 4, /^YAML: .*end with a \]/],
    [`${head}---\n# note\n\nkind: Deployment\nmetadata: { name: d }\n`, headLines + 4, /unknown kind "Deployment"/],
    [`${head}---\nkind: ServiceList\nitems:\n  - metadata: { name: l, namespace: x }\n  - { kind: Pod, metadata: { name: p } }\n`, headLines + 2, /^items\[1\]: unknown kind "Pod"/],
    [`${head}---\n${head}`, headLines + 2, /^Service x\/a is defined twice \(first at line 1\)$/],
    [`${head}---\nkind: ServiceList\nitems:\n  - metadata: { name: a, namespace: x }\n`, headLines + 2, /^items\[0\]: Service x\/a is defined twice/],
    [`${head}---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n`, headLines + 2, /^YAML: Excessive alias count/],
  ];
  for (const [text, line, message] of cases) {
    const parsed = parseManifest(text);
    t.notOk(parsed.ok, String(message));
    if (!parsed.ok) {
      t.equal(parsed.problem.line, line, `${String(message)}: line`);
      t.match(parsed.problem.message, message);
    }
  }
});

t.test('a broken file is refused as a whole; fixing it gives the objects back', async (t) => {
  const parser = new ManifestParser();
  const good = objects(parser.parse(file([svc('a'), svc('b')])));
  const broken = parser.parse(Buffer.from(`${stringify(svc('a'))}---\nkind: Service\nmetadata: { name: [oops\n`));
  t.notOk(broken.ok);
  const fixed = objects(parser.parse(file([svc('a'), svc('b')])));
  t.equal(fixed.length, 2);
  t.equal(fixed[0], good[0], 'the untouched document is still not parsed again');
});

t.test('after any edit, a warm re-parse gives what a fresh parse gives (seeded random edits)', async (t) => {
  let seed = 42;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const doc = (i: number, v: number): string => stringify(svc(`s${i}`, { spec: { ports: [{ port: 1000 + v }] } }));
  const edits: ((docs: string[]) => void)[] = [
    (docs) => void (docs[random(docs.length)] = doc(random(40), random(9))), // change (maybe into a duplicate)
    (docs) => void docs.splice(random(docs.length + 1), 0, doc(100 + random(100), random(9))), // insert
    (docs) => void (docs.length > 1 && docs.splice(random(docs.length), 1)), // delete
    (docs) => {
      const [i, j] = [random(docs.length), random(docs.length)];
      [docs[i], docs[j]] = [docs[j] as string, docs[i] as string]; // move
    },
    (docs) => void (docs[random(docs.length)] += 'oops: [\n'), // break
  ];
  const separators = ['---\n', '--- \n', '---\r\n', '--- # sep\n'];
  let docs = Array.from({ length: 12 }, (_, i) => doc(i, 0));
  let separator = '---\n';
  const parser = new ManifestParser();
  for (let round = 0; round < 300; round++) {
    docs = [...docs];
    (edits[random(edits.length)] as (d: string[]) => void)(docs);
    if (random(10) === 0) separator = separators[random(separators.length)] as string;
    const text = docs.join(separator);
    const warm = parser.parse(Buffer.from(text));
    const fresh = parseManifest(text);
    if (JSON.stringify(warm) !== JSON.stringify(fresh)) {
      t.strictSame(warm, fresh, `round ${round}`);
      return;
    }
  }
  t.pass('300 edits, every warm parse equal to a fresh one');
});
