import { isMet, ratioOf, type BenchRow } from './bench-row.js';

/** A markdown table; cells are escaped for `|`. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  const lines = [`| ${headers.map(cell).join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

/** Three significant digits, thousands grouped. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function withUnit(value: number | undefined, unit: string): string {
  return value === undefined ? '-' : `${formatNumber(value)} ${unit}`;
}

/** The table `npm run bench` prints: what, anchor figure, meshplug figure, ratio, target, met? */
export function resultsTable(rows: readonly BenchRow[]): string {
  return markdownTable(
    ['part', 'what', 'anchor', 'anchor figure', 'meshplug', 'ratio', 'target (issue 6)', 'met?'],
    rows.map((row) => {
      const ratio = ratioOf(row);
      const met = isMet(row);
      return [
        row.part,
        row.note === undefined ? row.what : `${row.what} (${row.note})`,
        row.anchor ?? '-',
        withUnit(row.anchorValue, row.unit),
        withUnit(row.value, row.unit),
        ratio === undefined ? '-' : `${ratio.toFixed(2)}x`,
        row.target,
        met === undefined ? '-' : met ? 'yes' : 'NO',
      ];
    }),
  );
}
