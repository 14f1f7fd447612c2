import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMet, ratioOf, type BenchPart, type BenchRow } from './bench-row.js';
import type { MachineInfo } from './machine.js';

/** test/bench/results/latest.json: the last result of each part (a single-part run keeps the others). */
export interface ResultsFile {
  machine: MachineInfo;
  parts: Partial<Record<BenchPart, { at: string; rows: (BenchRow & { ratio?: number; met?: boolean })[]; details: unknown }>>;
}

export const RESULTS_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'latest.json');

function readPrevious(path: string): ResultsFile | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ResultsFile;
  } catch {
    return undefined;
  }
}

/** Merges one part's rows into the file, written atomically. */
export function recordPart(machine: MachineInfo, part: BenchPart, rows: readonly BenchRow[], details: unknown, path = RESULTS_PATH): void {
  const previous = readPrevious(path);
  const file: ResultsFile = { machine, parts: { ...(previous?.parts ?? {}) } };
  file.parts[part] = {
    at: new Date().toISOString(),
    rows: rows.map((row) => {
      const ratio = ratioOf(row);
      const met = isMet(row);
      return { ...row, ...(ratio === undefined ? {} : { ratio }), ...(met === undefined ? {} : { met }) };
    }),
    details,
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, `${JSON.stringify(file, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
