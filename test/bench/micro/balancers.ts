/**
 * Micro-benchmark of the balancers' hot path: pick + onStart + onEnd per
 * operation, for every policy, a small and a large endpoint set, with and
 * without an exclude predicate. Not a test; prints ops/s.
 *
 *   npx tsc -b mesh-proxy && node --import tsx test/bench/micro/balancers.ts [--ms 1000]
 */
import { parseArgs } from 'node:util';
import { LB_POLICIES } from '@meshplug/plugin-api';
import { createBalancer, type BalancedEndpoint, type ExcludeFn } from '@meshplug/mesh-proxy';

const { values } = parseArgs({ options: { ms: { type: 'string', default: '1000' } } });
const budgetMs = Math.min(Math.max(Number(values.ms) || 1000, 50), 10_000);
/** Hard cap on operations per case, whatever the machine's speed. */
const MAX_OPS = 50_000_000;
/** Operations between clock reads, so reading the clock costs little. */
const BATCH = 4_096;

function makeEndpoints(n: number, weighted: boolean): BalancedEndpoint[] {
  return Array.from({ length: n }, (_, i) => ({ id: `10.0.${i >> 8}.${i & 255}:8080`, weight: weighted ? 1 + (i % 4) : 1 }));
}

interface Case {
  name: string;
  endpoints: BalancedEndpoint[];
  exclude?: ExcludeFn;
}

const cases: Case[] = [
  { name: '3 equal', endpoints: makeEndpoints(3, false) },
  { name: '50 weighted', endpoints: makeEndpoints(50, true) },
];
const first = cases[1]!.endpoints[0]!.id;
cases.push({ name: '50 weighted, 1 excluded', endpoints: cases[1]!.endpoints, exclude: (e) => e.id === first });

const rows: Array<Record<string, string>> = [];
for (const policy of LB_POLICIES) {
  for (const c of cases) {
    const b = createBalancer(policy);
    b.update(c.endpoints);
    const start = performance.now();
    let ops = 0;
    let elapsed = 0;
    while (elapsed < budgetMs && ops < MAX_OPS) {
      for (let i = 0; i < BATCH; i++) {
        const e = b.pick(c.exclude);
        if (e === undefined) throw new Error(`${policy}: no endpoint picked`);
        b.onStart(e);
        b.onEnd(e, 1 + (i & 7), true);
      }
      ops += BATCH;
      elapsed = performance.now() - start;
    }
    rows.push({ policy, endpoints: c.name, 'ops/s': Math.round((ops / elapsed) * 1000).toLocaleString('en-US') });
  }
}
console.table(rows);
