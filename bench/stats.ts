/** Small statistics and table helpers shared by the benchmarks. */

export interface Row {
  figure: string;
  median: string;
  range: string;
  detail: string;
  /** The goal this figure is held to, when it has one (issue text, e.g. "p95 < 20 ms"). */
  goal?: string;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

/** Prints rows as a Markdown table. */
export function printTable(rows: readonly Row[]): void {
  console.log('| figure | median | min–max | detail | goal |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.figure} | ${r.median} | ${r.range} | ${r.detail} | ${r.goal ?? ''} |`);
}
