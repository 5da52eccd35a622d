/**
 * A sparkline as SVG path data: the metric over the weeks we have snapshots for (Amazon keeps no
 * history - docs/domain/reports.md - so this is our own), with the target as a reference line.
 */
export interface Sparkline {
  /** `d` of the line; gaps (missing values) start a new segment. */
  path: string;
  /** Y of the target line, when the target falls inside the drawn range. */
  targetY: number | null;
  last: { x: number; y: number } | null;
}

export interface SparklineOptions {
  width: number;
  height: number;
  /** Kept inside the box so the stroke is not clipped. */
  pad?: number;
  target?: number | null;
}

/** Null when fewer than two points have a value: a single dot says nothing about a trend. */
export function sparkline(points: readonly { takenAt: number; value: number | null }[], options: SparklineOptions): Sparkline | null {
  const pad = options.pad ?? 2;
  const valued = points.filter((p): p is { takenAt: number; value: number } => p.value !== null && Number.isFinite(p.value));
  if (valued.length < 2) return null;
  const target = options.target ?? null;
  const values = valued.map((p) => p.value);
  let lo = Math.min(...values, ...(target === null ? [] : [target]));
  let hi = Math.max(...values, ...(target === null ? [] : [target]));
  if (hi === lo) {
    hi += 1e-9;
    lo -= 1e-9;
  }
  const t0 = Math.min(...points.map((p) => p.takenAt));
  const t1 = Math.max(...points.map((p) => p.takenAt));
  const span = t1 - t0 || 1;
  const w = options.width - 2 * pad;
  const h = options.height - 2 * pad;
  const x = (t: number) => round(pad + ((t - t0) / span) * w);
  const y = (v: number) => round(pad + (1 - (v - lo) / (hi - lo)) * h);
  let path = '';
  let pen = false;
  let last: Sparkline['last'] = null;
  for (const p of points) {
    if (p.value === null || !Number.isFinite(p.value)) {
      pen = false;
      continue;
    }
    last = { x: x(p.takenAt), y: y(p.value) };
    path += `${pen ? 'L' : 'M'}${last.x} ${last.y}`;
    pen = true;
  }
  return { path, targetY: target === null ? null : y(target), last };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
