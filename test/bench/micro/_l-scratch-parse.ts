import { readFileSync } from 'node:fs';
import { ManifestParser } from '../../../discover-service/src/sources/manifest-file.js';
const buf = readFileSync('/tmp/lprof/mesh.yaml');
const p = new ManifestParser();
let t0 = performance.now(); let c0 = process.cpuUsage();
const r = p.parse(buf);
console.log('cold', Math.round(performance.now() - t0), "cpu", Math.round(process.cpuUsage(c0).user/1000), r.ok, Math.round(process.memoryUsage().rss / 1e6));
const text = buf.toString().replace('198.19.134.170', '198.19.134.171');
const buf2 = Buffer.from(text);
t0 = performance.now(); c0 = process.cpuUsage();
const r2 = p.parse(buf2);
console.log('warm', Math.round(performance.now() - t0), "cpu", Math.round(process.cpuUsage(c0).user/1000), r2.ok, Math.round(process.memoryUsage().rss / 1e6));
if (r.ok && r2.ok) { const a = r.objects.get('EndpointSlice')!, b = r2.objects.get('EndpointSlice')!; console.log(a.filter((o, i) => o !== b[i]).length, 'changed'); }
