/**
 * The writes of a `saveSnapshots` effect (docs/architecture.md#from-the-cron-to-wechat): a new
 * snapshot row per marketplace only when its content differs from the newest one (otherwise only
 * "last checked" moves, at the job's finish, so an unchanged poll writes no snapshot and no event),
 * evaluated with the store's thresholds, `diff`ed against the previous evaluation, and the events
 * inserted under their stable keys. Every statement rides in the step's batch behind the step
 * guard.
 */
import { diff } from '../../shared/diff.ts';
import { evaluate } from '../../shared/evaluate.ts';
import { resolveThresholds } from '../../shared/thresholds.ts';
import type { StoreEvent } from '../../shared/alerts/rules.ts';
import type { MarketplaceEvaluation, MarketplaceSnapshot, ThresholdRules } from '../../shared/types.ts';
import { insertEventStatement } from '../db/events.ts';
import { STEP_GUARD } from './jobs-db.ts';

/** Statements of a step, and its events each with the index (in `statements`) of its insert. */
export interface PlannedWrites {
  statements: D1PreparedStatement[];
  events: Array<{ event: StoreEvent; statement: number }>;
}

export interface StepTarget {
  jobId: string;
  stepToken: string;
  storeId: string;
  workspaceId: string;
}

interface LatestRow {
  marketplace_id: string;
  content: string;
  evaluation: string;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The newest snapshot of each of the store's marketplaces (index snapshots_by_subject). */
async function latestSnapshots(db: D1Database, storeId: string, marketplaceIds: readonly string[]): Promise<Map<string, LatestRow>> {
  if (marketplaceIds.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT s.marketplace_id, s.content, s.evaluation FROM snapshots s
        WHERE s.store_id = ?1 AND s.marketplace_id IN (${marketplaceIds.map((_, i) => `?${i + 2}`).join(', ')})
          AND s.taken_at = (SELECT MAX(t.taken_at) FROM snapshots t WHERE t.store_id = s.store_id AND t.marketplace_id = s.marketplace_id)`,
    )
    .bind(storeId, ...marketplaceIds)
    .all<LatestRow>();
  return new Map(results.map((row) => [row.marketplace_id, row]));
}

/** The warn thresholds of a workspace: part of its alert rules (shared/alerts/rules.ts `thresholds`). */
export async function thresholdRules(db: D1Database, workspaceId: string): Promise<ThresholdRules> {
  const row = await db.prepare('SELECT rules FROM alert_rules WHERE workspace_id = ?').bind(workspaceId).first<{ rules: string }>();
  if (!row) return {};
  try {
    return (JSON.parse(row.rules) as { thresholds?: ThresholdRules }).thresholds ?? {};
  } catch {
    // Rules that do not parse must not stop polling: the defaults apply.
    return {};
  }
}

/** An event insert that only the winning consumer's batch performs, once per key; returns the key when it wrote. */
export function eventStatement(db: D1Database, event: StoreEvent, target: StepTarget): D1PreparedStatement {
  return insertEventStatement(db, event, { sql: STEP_GUARD, binds: [target.jobId, target.stepToken] });
}

export async function planSnapshotWrites(
  db: D1Database,
  target: StepTarget,
  snapshots: readonly MarketplaceSnapshot[],
  now: number,
): Promise<PlannedWrites> {
  const [latest, rules] = await Promise.all([latestSnapshots(db, target.storeId, snapshots.map((s) => s.marketplaceId)), thresholdRules(db, target.workspaceId)]);
  const statements: D1PreparedStatement[] = [];
  const events: PlannedWrites['events'] = [];
  for (const snapshot of snapshots) {
    const content = JSON.stringify(snapshot);
    const previous = latest.get(snapshot.marketplaceId);
    if (previous && previous.content === content) continue;
    const thresholds = resolveThresholds(rules, target.storeId, snapshot.marketplaceId);
    const evaluation = evaluate(snapshot, thresholds);
    // The id and the event keys come from the job: a replay of this step writes the same ones
    // (and is ignored), while a metric going A -> B -> A -> B is news each time it changes.
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
    for (const event of diff(before, evaluation, { snapshotKey: target.jobId, thresholds })) {
      const row: StoreEvent = { ...event, key: `${target.storeId}|${event.key}`, storeId: target.storeId, workspaceId: target.workspaceId, createdAt: now };
      events.push({ event: row, statement: statements.length });
      statements.push(eventStatement(db, row, target));
    }
  }
  return { statements, events };
}
