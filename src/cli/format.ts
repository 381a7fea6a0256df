// Text formatting for the CLI: numbers, durations, tables, the confusion matrix.

/** 12,345 */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 0.42 s, 12.3 s, 2 min 05 s */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${String(Math.round(seconds - 60 * m)).padStart(2, '0')} s`;
}

/** 96.85 % */
export function percent(x: number): string {
  return `${(100 * x).toFixed(2)} %`;
}

/** Rows of cells, each column padded to its widest cell; numbers right-aligned, text left-aligned. */
export function table(rows: string[][], rightAlign: (col: number) => boolean = (c) => c > 0): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, c) => (widths[c] = Math.max(widths[c] ?? 0, cell.length)));
  return rows
    .map((row) => row.map((cell, c) => (rightAlign(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd())
    .join('\n');
}

/** confusion[t][p]: how many rows of true class t were predicted as p. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]!]![predicted[i]!]!++;
  return m;
}

/** The matrix as a table: one row per true class, one column per predicted class, and each class's recall. */
export function formatConfusion(matrix: number[][], names: readonly string[]): string {
  const head = ['true \\ pred', ...names, 'recall'];
  const rows = matrix.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    return [names[t]!, ...row.map(String), total > 0 ? `${((100 * row[t]!) / total).toFixed(1)}%` : '-'];
  });
  return table([head, ...rows]);
}

/** Index of the largest of `n` values starting at `offset`. */
export function argmax(values: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (values[offset + j]! > values[offset + best]!) best = j;
  return best;
}
