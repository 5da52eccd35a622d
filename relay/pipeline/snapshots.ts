/**
 * Snapshot and event writes of a finished report (SPEC.md "Snapshot and diff"): a new snapshot row
 * per marketplace only when its content differs from the last one (otherwise only "last checked"
 * moves, so an unchanged poll writes no snapshot and no event), `diff` against the previous
 * evaluation, and events keyed for de-duplication. All of it rides in the step's batch behind the
 * step guard.
 */
import { diff } from '../../shared/diff.ts';
import { evaluate } from '../../shared/evaluate.ts';
import { resolveThresholds } from '../../shared/thresholds.ts';
import type { HealthEvent, MarketplaceEvaluation, MarketplaceSnapshot, ThresholdRules } from '../../shared/types.ts';
import { STEP_GUARD } from './jobs-db.ts';

interface LatestRow {
  marketplace_id: string;
  content: string;
  evaluation: string;
}

export interface SnapshotWrite {
  statements: D1PreparedStatement[];
  /** Each event with the index (in `statements`) of the insert that writes it. */
  events: Array<{ event: HealthEvent & { storeId: string; workspaceId: string; createdAt: number }; statement: number }>;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function latestSnapshots(db: D1Database, storeId: string): Promise<Map<string, LatestRow>> {
  const { results } = await db
    .prepare(
      `SELECT s.marketplace_id, s.content, s.evaluation FROM snapshots s
        WHERE s.store_id = ? AND s.taken_at = (SELECT MAX(taken_at) FROM snapshots t WHERE t.store_id = s.store_id AND t.marketplace_id = s.marketplace_id)`,
    )
    .bind(storeId)
    .all<LatestRow>();
  return new Map(results.map((row) => [row.marketplace_id, row]));
}

export async function planSnapshotWrites(
  db: D1Database,
  target: { jobId: string; stepToken: string; storeId: string; workspaceId: string; thresholds: ThresholdRules },
  snapshots: readonly MarketplaceSnapshot[],
  now: number,
): Promise<SnapshotWrite> {
  const latest = await latestSnapshots(db, target.storeId);
  const statements: D1PreparedStatement[] = [];
  const events: SnapshotWrite['events'] = [];
  for (const snapshot of snapshots) {
    const content = JSON.stringify(snapshot);
    const previous = latest.get(snapshot.marketplaceId);
    if (previous && previous.content === content) continue;
    const thresholds = resolveThresholds(target.thresholds, target.storeId, snapshot.marketplaceId);
    const evaluation = evaluate(snapshot, thresholds);
    // Keyed by the job, not the content: a metric can go A -> B -> A -> B and each real change is
    // news, while a replay of this job's step yields the same keys and is ignored.
    const snapshotKey = target.jobId;
    const id = `snap_${(await sha256(`${target.jobId}|${snapshot.marketplaceId}`)).slice(0, 24)}`;
    statements.push(
      db
        .prepare(
          `INSERT INTO snapshots (id, workspace_id, store_id, marketplace_id, taken_at, fetched_at, content, evaluation)
           SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE ${STEP_GUARD} ON CONFLICT DO NOTHING`,
        )
        .bind(id, target.workspaceId, target.storeId, snapshot.marketplaceId, now, now, content, JSON.stringify(evaluation), target.jobId, target.stepToken),
    );
    const before = previous ? (JSON.parse(previous.evaluation) as MarketplaceEvaluation) : null;
    for (const event of diff(before, evaluation, { snapshotKey, thresholds })) {
      const key = `${target.storeId}|${event.key}`;
      events.push({ event: { ...event, key, storeId: target.storeId, workspaceId: target.workspaceId, createdAt: now }, statement: statements.length });
      statements.push(
        db
          .prepare(
            `INSERT INTO events (workspace_id, store_id, key, kind, severity, payload, created_at)
             SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${STEP_GUARD} ON CONFLICT(key) DO NOTHING RETURNING key`,
          )
          .bind(target.workspaceId, target.storeId, key, event.kind, event.severity, JSON.stringify({ ...event, key }), now, target.jobId, target.stepToken),
      );
    }
  }
  statements.push(
    db.prepare(`UPDATE stores SET last_checked_at = ?, poll_failures = 0, last_poll_error = NULL WHERE id = ? AND ${STEP_GUARD}`).bind(now, target.storeId, target.jobId, target.stepToken),
  );
  return { statements, events };
}
