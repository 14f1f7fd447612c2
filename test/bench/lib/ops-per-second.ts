/** Loop limits of one micro-benchmark case: a time budget, bounded in count too. */
export interface OpsLimits {
  budgetMs: number;
  maxOps: number;
  /** Calls between two clock reads. */
  batch: number;
}

/**
 * Calls `fn` in batches until the budget (or the op cap) is spent and returns a `console.table` row.
 * What `fn` returns is summed (a number) or counted (anything else), so the work cannot be optimised
 * away; a sum of 0 means the case did nothing and throws.
 */
export function opsPerSecond(name: string, fn: (i: number) => unknown, limits: OpsLimits): Record<string, string> {
  const start = performance.now();
  let ops = 0;
  let elapsed = 0;
  let sink = 0;
  while (elapsed < limits.budgetMs && ops < limits.maxOps) {
    for (let i = 0; i < limits.batch; i++) {
      const r = fn(i);
      sink += typeof r === 'number' ? r : 1;
    }
    ops += limits.batch;
    elapsed = performance.now() - start;
  }
  if (sink === 0) throw new Error(`${name}: nothing done`);
  return { case: name, 'ops/s': Math.round((ops / elapsed) * 1000).toLocaleString('en-US'), 'ns/op': ((elapsed * 1e6) / ops).toFixed(1) };
}
