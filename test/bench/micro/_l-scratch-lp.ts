import { stringify, parseAllDocuments, LineCounter } from 'yaml';
const head = stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'x' }, spec: { ports: [{ port: 80 }] } });
const text = `${head}---\nkind: Service\nmetadata: { name: [oops\n`;
const lc = new LineCounter();
const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false });
for (const d of docs as any) console.log(d.errors[0]?.linePos, d.errors[0]?.pos, lc.linePos(d.contents?.range[0] ?? 0), lc.lineStarts.length);
const docs2 = parseAllDocuments(text, { prettyErrors: true });
for (const d of docs2 as any) console.log(d.errors[0]?.linePos);
