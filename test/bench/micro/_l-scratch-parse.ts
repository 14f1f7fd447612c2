import { readFileSync } from 'node:fs';
import { parseAllDocuments, parseDocument, Parser, Composer } from 'yaml';
import jsyaml from 'js-yaml';
const text = readFileSync('/tmp/lprof/mesh.yaml', 'utf8');
const which = process.argv[2];
const t0 = performance.now();
let n = 0;
if (which === 'whole') {
  const docs = parseAllDocuments(text);
  for (const d of docs as any) { d.toJS(); n++; }
} else if (which === 'segments') {
  const segs = text.split(/^---$/m);
  for (const s of segs) { const d = parseDocument(s); d.toJS(); n++; }
} else if (which === 'jsyaml') {
  const segs = text.split(/^---$/m);
  for (const s of segs) { jsyaml.load(s, { schema: jsyaml.CORE_SCHEMA }); n++; }
} else if (which === 'jsyamlall') {
  jsyaml.loadAll(text, () => n++, { schema: jsyaml.CORE_SCHEMA });
}
console.log(which, n, Math.round(performance.now() - t0), 'ms', Math.round(process.memoryUsage().rss / 1e6), 'MB rss');
