/**
 * Micro-benchmark of checking a received MeshDocument, ajv against the ajv-free subset checker
 * the sidecars use (same schema, same issues: plugin-api/test/validation/schema-subset-check.test.ts):
 * checks/s on a document of 50 dependencies with 5 endpoints each, and what loading + compiling
 * each checker adds to this process's RSS (each measured in a fresh process). Not a test.
 *
 *   node --import tsx test/bench/micro/mesh-document-check.ts [--ms 1000]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { meshDocumentSchema } from '../../../plugin-api/src/schema/mesh-document.js';
import { compileSchemaSubset } from '../../../plugin-api/src/validation/schema-subset-check.js';
import { compileSchema } from '../../../plugin-api/src/validation/schema-validator.js';

const { values } = parseArgs({ options: { ms: { type: 'string', default: '1000' }, 'rss-of': { type: 'string' } } });
const budgetMs = Math.min(Math.max(Number(values.ms) || 1000, 50), 10_000);
const MAX_CHECKS = 1_000_000;

function document(dependencies: number, endpoints: number): unknown {
  const outbound = Array.from({ length: dependencies }, (_, d) => ({
    name: `shop/dep-${d}:8080`, namespace: 'shop', service: `dep-${d}`, vip: `127.1.${d >> 8}.${(d & 255) + 1}`, port: 8080,
    protocol: 'http', mode: 'http', policy: 'round_robin', options: { Weight: '100', LBPolicy: 'round_robin' },
    endpoints: Array.from({ length: endpoints }, (_, e) => ({
      address: `10.0.${d}.${e + 1}`, port: 65380, ready: true, serving: true, terminating: false, weight: 100,
    })),
  }));
  return {
    version: 'v1', namespace: 'shop', service: 'web',
    inbound: [{ name: 'http', port: 8080, outerPort: 65380, protocol: 'http', mode: 'http', options: {} }],
    outbound,
    dns: {
      records: outbound.map((c) => ({ names: [c.service, `${c.service}.shop`], service: `shop/${c.service}`, address: c.vip, ports: [{ name: 'http', port: 8080, protocol: 'http' }] })),
      searches: ['shop.svc.cluster.local'], upstream: [], clusterDomain: 'cluster.local', ttl: 5,
    },
  };
}

const doc = document(50, 5);
const checkers = { ajv: compileSchema(meshDocumentSchema), subset: compileSchemaSubset(meshDocumentSchema) };

if (values['rss-of'] !== undefined) {
  // Child mode: one checker, one check, then this process's RSS growth.
  const before = process.memoryUsage().rss;
  const check = values['rss-of'] === 'ajv' ? checkers.ajv : checkers.subset;
  if (check(doc).length > 0) throw new Error('the document must be valid');
  process.stdout.write(String((process.memoryUsage().rss - before) / 1048576));
} else {
  const rows: Array<Record<string, string>> = [];
  for (const [name, check] of Object.entries(checkers)) {
    if (check(doc).length > 0) throw new Error(`${name}: the document must be valid`);
    const start = performance.now();
    let checks = 0;
    while (performance.now() - start < budgetMs && checks < MAX_CHECKS) {
      check(doc);
      checks++;
    }
    const rss = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--rss-of', name], { encoding: 'utf8' });
    rows.push({
      checker: name,
      'checks/s': Math.round((checks / (performance.now() - start)) * 1000).toLocaleString('en-US'),
      'RSS added by load + first check, MiB': Number(rss).toFixed(1),
    });
  }
  console.table(rows);
}
