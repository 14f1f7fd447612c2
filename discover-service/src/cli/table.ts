/** A cell: one line, or several stacked in the same column. */
export type Cell = string | readonly string[];

/**
 * An aligned plain-text table like kubectl's: upper-case headers, columns
 * padded to their widest line, two spaces apart, no trailing spaces. A cell
 * with several lines makes its row that many lines tall.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = (cell: Cell | undefined): readonly string[] => (cell === undefined ? [''] : typeof cell === 'string' ? [cell] : cell.length > 0 ? cell : ['']);
  const widths = headers.map((header, col) => Math.max(header.length, ...rows.flatMap((row) => lines(row[col]).map((l) => l.length))));
  const render = (cells: readonly string[]): string => cells.map((c, col) => c.padEnd(widths[col] ?? 0)).join('  ').trimEnd();
  const out = [render(headers)];
  for (const row of rows) {
    const height = Math.max(1, ...headers.map((_, col) => lines(row[col]).length));
    for (let i = 0; i < height; i++) out.push(render(headers.map((_, col) => lines(row[col])[i] ?? '')));
  }
  return out.join('\n') + '\n';
}

/** kubectl-style age: `42s`, `5m`, `3h`, `2d`. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
