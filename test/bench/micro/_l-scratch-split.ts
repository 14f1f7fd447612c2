import { readFileSync } from 'node:fs';
import { splitManifest } from '../../../discover-service/src/sources/manifest-segments.js';
const buf = readFileSync('/tmp/lprof/mesh.yaml');
for (let r = 0; r < 3; r++) {
let t0 = performance.now();
const segs = splitManifest(buf);
const t1 = performance.now();
const m = new Map(segs.map((s) => [s.text, 1]));
const t2 = performance.now();
let nl = 0; for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) nl++;
const t3 = performance.now();
let starts = 0; for (let i = buf.indexOf('\n---'); i !== -1; i = buf.indexOf('\n---', i + 1)) starts++;
const t4 = performance.now();
let dec = 0; for (let i = 0; i < 21000; i++) dec += buf.toString('utf8', i * 700, i * 700 + 700).length;
const t5 = performance.now();
let n2 = 0; for (let i = 0; i < buf.length; i++) if (buf[i] === 10) n2++;
const t6 = performance.now();
console.log({ split: t1 - t0, map: t2 - t1, newlines: t3 - t2, markers: t4 - t3, decode: t5 - t4, byteloop: t6 - t5, m: m.size });
}
