/**
 * One measured figure of `npm run bench`, with the baseline it is read against in the same run:
 * a number on its own says little on a shared 2-core machine, a ratio against a baseline measured
 * minutes apart on the same machine says how we compare.
 */
export interface BenchRow {
  /** What was measured, e.g. "refresh: press -> done minus report generation, p95". */
  name: string;
  value: number;
  unit: string;
  /** The same thing done the plain way in this run, when there is one. */
  baseline?: { name: string; value: number };
  /**
   * The docs/architecture.md#performance-budgets budget this figure answers to, in words ("< 2 s"),
   * and whether it is met.
   */
  budget?: string;
  met?: boolean;
  /** How it was measured, the sample size, anything a reader needs to trust it. */
  note?: string;
}

/** A section of the benchmark: a name for the table and the function that measures it. */
export interface BenchSection {
  name: string;
  run: () => Promise<BenchRow[]>;
}

/** Percentile by nearest rank over a copy of the samples (p in 0..100). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** The table printed at the end of the run (also what the README shows). */
export function formatTable(rows: readonly BenchRow[]): string {
  const lines = ['| figure | value | baseline | ratio | budget |', '|---|---|---|---|---|'];
  for (const r of rows) {
    const base = r.baseline ? `${fmt(r.baseline.value)} ${r.unit} (${r.baseline.name})` : '';
    const ratio = r.baseline && r.baseline.value !== 0 ? `${(r.value / r.baseline.value).toFixed(2)}x` : '';
    const budget = r.budget ? `${r.budget} ${r.met === undefined ? '' : r.met ? 'met' : 'MISSED'}`.trim() : '';
    lines.push(`| ${r.name} | ${fmt(r.value)} ${r.unit} | ${base} | ${ratio} | ${budget} |`);
  }
  return lines.join('\n');
}
