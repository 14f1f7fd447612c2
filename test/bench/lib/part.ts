import type { BenchPart, BenchRow } from './bench-row.js';

/** Settings shared by every part, from the command line. */
export interface PartSettings {
  /** Seconds of each measured load run (a part may scale it); bounded by the dispatcher. */
  seconds: number;
  /** Each comparison is run this many times, anchors and meshplug interleaved; the best run counts. */
  rounds: number;
  /** Progress lines to stderr. */
  log(message: string): void;
}

/** What one part hands back to the dispatcher. */
export interface PartResult {
  part: BenchPart;
  rows: BenchRow[];
  /** Every raw figure, for results/latest.json. */
  details: unknown;
  /** The part's own markdown table(s), printed as it ends. */
  table: string;
}

export type BenchPartRunner = (settings: PartSettings) => Promise<PartResult>;

/** Of several runs of the same thing, the one with the highest `score` (least disturbed by other load). */
export function bestOf<T>(runs: readonly T[], score: (run: T) => number): T {
  let best = runs[0];
  if (best === undefined) throw new Error('bestOf: no runs');
  for (const run of runs) if (score(run) > score(best)) best = run;
  return best;
}
