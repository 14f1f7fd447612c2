import { ManifestParser } from '/work/main/discover-service/src/sources/manifest-file.ts';
import { commonPrefix, hasDirectives } from '/work/main/discover-service/src/sources/manifest-segments.ts';
import { buildFixture } from '/work/main/test/bench/discover/mesh-fixture.ts';
const f = buildFixture();
const files = [1, 2, 3].map((g) => Buffer.from(f.text(g)));
const p = new ManifestParser(); p.parse(files[0]!);
const cpu = (fn: () => unknown) => { const c = process.cpuUsage(); fn(); const u = process.cpuUsage(c); return ((u.user + u.system) / 1000).toFixed(1); };
for (let r = 0; r < 6; r++) {
  console.log('parse', cpu(() => p.parse(files[(r % 2) + 1]!)), 'prefix', cpu(() => commonPrefix(files[1]!, files[2]!)), 'dir', cpu(() => hasDirectives(files[1]!)), 'mapset', cpu(() => { const m = new Map(); for (let i = 0; i < 21000; i++) m.set('Service ns/' + i, [i, 1]); }));
}
