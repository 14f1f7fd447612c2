import { ManifestParser } from '/work/main/discover-service/src/sources/manifest-file.ts';
import { buildFixture } from '/work/main/test/bench/discover/mesh-fixture.ts';
const f = buildFixture();
const files = [1, 2, 3].map((g) => Buffer.from(f.text(g)));
const p = new ManifestParser(); p.parse(files[0]!);
for (let r = 0; r < 20; r++) { const c = process.cpuUsage(); p.parse(files[(r % 2) + 1]!); const u = process.cpuUsage(c); if (r > 15) console.log((u.user + u.system) / 1000); }
