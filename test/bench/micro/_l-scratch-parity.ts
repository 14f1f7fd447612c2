import { stringify } from 'yaml';
import { parseManifest as oldParse } from '../../../discover-service/src/sources/_l_old_manifest.js';
import { parseManifest } from '../../../discover-service/src/sources/manifest-file.js';
const svc = (name: string): object => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'x' }, spec: { ports: [{ port: 80 }] } });
const head = stringify(svc('a'));
const cases = [
    `${head}---\nkind: Service\nmetadata: { name: [oops\n`,
    `${head}---\n# note\n\nkind: Deployment\nmetadata: { name: d }\n`,
    `${head}---\nkind: ServiceList\nitems:\n  - metadata: { name: l, namespace: x }\n  - { kind: Pod, metadata: { name: p } }\n`,
    `${head}---\n${head}`,
    `${head}---\nkind: ServiceList\nitems:\n  - metadata: { name: a, namespace: x }\n`,
    `${head}---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n`,
    `${head}--- # c\n\n  kind: Nope\n`,
    `${head}---\nkind: Service\nmetadata: {name: b}\n  bad: indent\n`,
    `${head}---\nkind: Service\nmetadata: {name: b}\nx: 1\nx: 2\n`,
];
console.log('headLines', head.split('\n').length - 1);
for (const c of cases) console.log(JSON.stringify(oldParse(c)), '\n  ', JSON.stringify(parseManifest(c)));
