/**
 * Micro-benchmark of what discover-service does when an EndpointSlice that every component depends
 * on changes (the change of `npm run bench -- discover`): the store batch, the resolver's invalidation,
 * and rebuilding the mesh document of every component (endpoint lists, options, DNS table, version),
 * as the long-poll hub does for the keys it holds. The shared Service's endpoints are now read once
 * per change (the resolver's endpoint cache) and versions use the cheaper canonical JSON.
 * Not a test; prints CPU milliseconds per change.
 *
 *   node --import tsx test/bench/micro/discover-resolver-change.ts [--namespaces 10] [--rounds 10]
 */
import { parseArgs } from 'node:util';
import { Resolver } from '../../../discover-service/src/resolve/resolver.js';
import { ManifestParser } from '../../../discover-service/src/sources/manifest-file.js';
import { OBJECT_KINDS } from '../../../discover-service/src/sources/source.js';
import { Store } from '../../../discover-service/src/store/store.js';
import { buildFixture, ISSUE_2_SHAPE, SHARED } from '../discover/mesh-fixture.js';

const { values } = parseArgs({ options: { namespaces: { type: 'string', default: '10' }, rounds: { type: 'string', default: '10' } } });
const namespaces = Math.min(Math.max(Number(values.namespaces) || 10, 1), 10);
const rounds = Math.min(Math.max(Number(values.rounds) || 10, 1), 100);

const fixture = buildFixture({ ...ISSUE_2_SHAPE, namespaces, components: namespaces * 100 });
const parser = new ManifestParser();
const generations = [1, 2].map((g) => {
  const parsed = parser.parse(Buffer.from(fixture.text(g)));
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return parsed.objects;
});
const sharedSlice = (g: number) => generations[g]!.get('EndpointSlice')!.find((s) => s.metadata.namespace === SHARED.namespace && s.metadata.name.startsWith(`${SHARED.name}-`))!;

const store = new Store({ schedule: () => undefined });
for (const kind of OBJECT_KINDS) store.replace(kind, generations[0]!.get(kind) ?? []);
const resolver = new Resolver(store);
const keys = fixture.components.map((c) => c.split('/') as [string, string]);
for (const [ns, name] of keys) if (!resolver.mesh(ns, name).ok) throw new Error(`no document for ${ns}/${name}`);

const samples: number[] = [];
for (let r = 0; r < rounds; r++) {
  const slice = sharedSlice((r + 1) % 2);
  const start = process.cpuUsage();
  store.upsert('EndpointSlice', slice);
  store.flush();
  let versions = 0;
  for (const [ns, name] of keys) if (resolver.mesh(ns, name).ok) versions++;
  const used = process.cpuUsage(start);
  if (versions !== keys.length) throw new Error('a document went missing');
  samples.push((used.user + used.system) / 1000);
}
samples.sort((a, b) => a - b);
console.log(`${fixture.services} Services, ${keys.length} components depending on ${SHARED.namespace}/${SHARED.name}`);
console.table([{ what: 'slice change -> every mesh document rebuilt', 'CPU ms, best': samples[0]!.toFixed(1), 'CPU ms, median': samples[samples.length >> 1]!.toFixed(1) }]);
