/** The benchmarks of the meshplug issues 2, 3, 4 and 6. */
export type BenchPart = 'proxy' | 'dns' | 'discover';

/** How a row's figure is judged against its target. */
export type Goal =
  /** meshplug / anchor must be at least `value` (throughput). */
  | { kind: 'ratio-at-least'; value: number }
  /** meshplug / anchor must be at most `value` (latency). */
  | { kind: 'ratio-at-most'; value: number }
  /** meshplug's figure itself must be at most `value` (an absolute budget). */
  | { kind: 'value-at-most'; value: number }
  /** Reported, no target. */
  | { kind: 'none' };

/** One line of the final table: a measured figure, its anchor, the ratio and the target of issue 6. */
export interface BenchRow {
  part: BenchPart;
  what: string;
  unit: string;
  /** e.g. `HAProxy 1 thread`, `dnsmasq`, `direct`; undefined when the target is absolute. */
  anchor?: string;
  anchorValue?: number;
  value: number;
  goal: Goal;
  /** Target as issue 6 writes it. */
  target: string;
  /** Extra context: errors seen, sample counts. */
  note?: string;
}

/** meshplug / anchor; undefined when either is missing or not positive (e.g. an added latency lost in noise). */
export function ratioOf(row: BenchRow): number | undefined {
  if (row.anchorValue === undefined || !(row.anchorValue > 0) || !(row.value > 0)) return undefined;
  return row.value / row.anchorValue;
}

/** true/false against the goal; undefined when there is none or a figure is missing. */
export function isMet(row: BenchRow): boolean | undefined {
  if (!Number.isFinite(row.value)) return undefined;
  const ratio = ratioOf(row);
  switch (row.goal.kind) {
    case 'ratio-at-least':
      return ratio === undefined ? undefined : ratio >= row.goal.value;
    case 'ratio-at-most':
      return ratio === undefined ? undefined : ratio <= row.goal.value;
    case 'value-at-most':
      return row.value <= row.goal.value;
    case 'none':
      return undefined;
  }
}
