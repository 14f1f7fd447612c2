import { readFileSync } from 'node:fs';
import { parseDocument, Parser, Lexer, Composer } from 'yaml';
const text = readFileSync('/tmp/lprof/mesh.yaml', 'utf8').slice(0, 2_000_000);
const segs = text.split(/^---$/m);
for (const which of ['lexer', 'parser', 'compose', 'full']) {
  const t0 = performance.now();
  for (const s of segs) {
    if (which === 'lexer') { for (const _ of new Lexer().lex(s)); }
    else if (which === 'parser') { for (const _ of new Parser().parse(s)); }
    else if (which === 'compose') { for (const _ of new Composer().compose(new Parser().parse(s))); }
    else parseDocument(s).toJS();
  }
  console.log(which, Math.round(performance.now() - t0), 'ms');
}
