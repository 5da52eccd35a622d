import type { HistoryPoint } from '../lib/cache/cache-db.ts';
import { sparkline } from '../lib/derive/sparkline.ts';

const W = 64;
const H = 18;

/** The metric over our own snapshots, with the target as a dashed line; nothing when too few points. */
export function SparklineChart({ points, target, label }: { points: readonly HistoryPoint[]; target: number | null; label: string }) {
  const line = sparkline(points, { width: W, height: H, target });
  if (!line) return <span class="sw-spark-none">—</span>;
  return (
    <svg class="sw-spark" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      {line.targetY !== null && <line class="sw-spark-target" x1="0" x2={W} y1={line.targetY} y2={line.targetY} />}
      <path class="sw-spark-line" d={line.path} />
      {line.last && <circle class="sw-spark-dot" cx={line.last.x} cy={line.last.y} r="1.8" />}
    </svg>
  );
}
