/**
 * Micro-benchmark of the file source's reload path on the mesh of `npm run bench -- discover`
 * (scaled by --namespaces; 1,000 Services, 1,000 slices and 100 components each):
 *   - parse the whole file: `yaml` parseAllDocuments (before) vs ManifestParser cold (js-yaml per document);
 *   - re-parse after one EndpointSlice changed: ManifestParser warm (unchanged documents come from its cache);
 *   - deliver the re-read into the store: replace every kind (before) vs upsert/remove the identity diff (now).
 * Not a test; prints milliseconds of CPU per operation (steadier than wall time on a shared machine).
 *
 *   node --import tsx test/bench/micro/discover-file-reload.ts [--namespaces 2] [--rounds 5]
 */
import { parseArgs } from 'node:util';
import { LineCounter, parseAllDocuments } from 'yaml';
import { identityDiff } from '../../../discover-service/src/sources/identity-diff.js';
import { ManifestParser, type ManifestObjects } from '../../../discover-service/src/sources/manifest-file.js';
import { OBJECT_KINDS } from '../../../discover-service/src/sources/source.js';
import { Store } from '../../../discover-service/src/store/store.js';
import { buildFixture, ISSUE_2_SHAPE } from '../discover/mesh-fixture.js';

const { values } = parseArgs({ options: { namespaces: { type: 'string', default: '2' }, rounds: { type: 'string', default: '5' } } });
const namespaces = Math.min(Math.max(Number(values.namespaces) || 2, 1), 10);
const rounds = Math.min(Math.max(Number(values.rounds) || 5, 1), 50);

const fixture = buildFixture({ ...ISSUE_2_SHAPE, namespaces, components: namespaces * 100 });
const files = [1, 2, 3].map((g) => Buffer.from(fixture.text(g)));

/** CPU milliseconds (user + system) of the operation `prepare` returns (preparing is not timed), best of `n`. */
function cpuMs(n: number, prepare: (round: number) => () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < n; r++) {
    const op = prepare(r);
    const start = process.cpuUsage();
    op();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

function objectsOf(parsed: ReturnType<ManifestParser['parse']>): ManifestObjects {
  if (!parsed.ok) throw new Error(`fixture refused: ${parsed.problem.message}`);
  return parsed.objects;
}

const rows: Record<string, string>[] = [];
const row = (what: string, ms: number): void => void rows.push({ what, 'CPU ms per op (best)': ms.toFixed(1) });

row('parse whole file: yaml parseAllDocuments + toJS (before)', cpuMs(1, () => () => {
  for (const doc of parseAllDocuments(files[0]!.toString('utf8'), { lineCounter: new LineCounter() })) doc.toJS();
}));
row('parse whole file: ManifestParser, cold (now)', cpuMs(rounds, () => () => objectsOf(new ManifestParser().parse(files[0]!))));
const parser = new ManifestParser();
objectsOf(parser.parse(files[0]!));
row('re-parse, one document changed: ManifestParser, warm (now)', cpuMs(rounds, (r) => () => objectsOf(parser.parse(files[(r % 2) + 1]!))));

const generations = [objectsOf(parser.parse(files[1]!)), objectsOf(parser.parse(files[2]!))] as const;
/** A store holding one generation, and the other generation to deliver. */
function loaded(round: number): { store: Store; prev: ManifestObjects; next: ManifestObjects } {
  const [prev, next] = round % 2 === 0 ? generations : [generations[1], generations[0]];
  const store = new Store({ schedule: () => undefined });
  for (const kind of OBJECT_KINDS) store.replace(kind, prev.get(kind) ?? []);
  store.flush();
  return { store, prev, next };
}
row('deliver the re-read: store.replace of every kind (before)', cpuMs(rounds, (r) => {
  const { store, next } = loaded(r);
  return () => {
    for (const kind of OBJECT_KINDS) store.replace(kind, next.get(kind) ?? []);
    store.flush();
  };
}));
row('deliver the re-read: identity diff + upsert/remove (now)', cpuMs(rounds, (r) => {
  const { store, prev, next } = loaded(r);
  return () => {
    for (const kind of OBJECT_KINDS) {
      const { upserts, removals } = identityDiff(prev.get(kind) ?? [], next.get(kind) ?? []);
      for (const o of removals) store.remove(kind, o);
      for (const o of upserts) store.upsert(kind, o);
    }
    store.flush();
  };
}));
console.log(`${fixture.services} Services, ${fixture.endpoints} endpoints, ${(files[0]!.length / 1e6).toFixed(1)} MB YAML`);
console.table(rows);
