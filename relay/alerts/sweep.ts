/**
 * The cron-driven safety net (issue 5: "loses nothing"): decides events no fan-out decided,
 * creates reminders for unacknowledged breaches, and wakes every channel with due or stuck
 * deliveries - whatever a crashed pipeline, a lost queue message or a dead consumer left behind.
 */
import { OUTBOX } from '../../shared/alerts/outbox.ts';
import { type StoreEvent, nextReminderCheck, reminderDue, routeAlert } from '../../shared/alerts/rules.ts';
import type { HealthEvent } from '../../shared/types.ts';
import type { Env } from '../env.ts';
import type { AlertDeps } from '../platform-deps.ts';
import { undecidedEvents } from '../db/events.ts';
import { fanOutEvents } from './fan-out.ts';
import { loadRouting } from './settings.ts';
import { wakeChannels } from './wake.ts';

/** Events younger than this belong to the pipeline's own fan-out, still in flight. */
const GRACE_MS = 60_000;
/** How far back undecided events are looked for (relay/retention.ts keeps fan-out marks longer). */
export const UNDECIDED_LOOKBACK_MS = 7 * 86_400_000;
const LIMIT = 200;
/**
 * Workspaces whose events and reminders one sweep handles: each costs two D1 round trips (its
 * routing, its writes), and the whole cron tick must stay inside an invocation's budget of calls
 * (docs/operations.md). The others stay due and are handled by the next ticks, oldest first.
 */
export const SWEEP_WORKSPACES_PER_TICK = 5;

/** The rows of the first `limit` workspaces to appear, in their order. */
function firstWorkspaces<T extends { workspaceId: string }>(rows: readonly T[], limit: number): T[] {
  const chosen = new Set<string>();
  return rows.filter((r) => {
    if (!chosen.has(r.workspaceId) && chosen.size < limit) chosen.add(r.workspaceId);
    return chosen.has(r.workspaceId);
  });
}

export interface SweepResult {
  eventsDecided: number;
  reminders: number;
  channelsWoken: number;
}

interface OpenAlertRow {
  id: number;
  workspace_id: string;
  store_id: string;
  event_key: string;
  payload: string;
  created_at: number;
  last_reminded_at: number | null;
}

async function remind(env: Env, now: number): Promise<{ count: number; channels: string[] }> {
  const db = env.DB;
  const { results } = await db
    .prepare(
      `SELECT id, workspace_id, store_id, event_key, payload, created_at, last_reminded_at FROM alerts
       WHERE remind = 1 AND acknowledged_at IS NULL AND resolved_at IS NULL AND remind_check_at <= ?1
       ORDER BY remind_check_at LIMIT ?2`,
    )
    .bind(now, LIMIT)
    .all<OpenAlertRow>();
  let count = 0;
  const channels = new Set<string>();
  const byWorkspace = new Map<string, OpenAlertRow[]>();
  for (const row of results) byWorkspace.set(row.workspace_id, [...(byWorkspace.get(row.workspace_id) ?? []), row]);
  for (const [workspaceId, rows] of [...byWorkspace].slice(0, SWEEP_WORKSPACES_PER_TICK)) {
    const { rules, routes } = await loadRouting(db, workspaceId);
    // One batch per workspace (a subrequest each, not one per alert); the dedupe keys make a
    // replayed sweep harmless, so the rows need not be written one by one.
    const statements: D1PreparedStatement[] = [];
    for (const row of rows) {
      const ordinal = reminderDue(
        { createdAt: row.created_at, remind: true, acknowledgedAt: null, resolvedAt: null, lastRemindedAt: row.last_reminded_at },
        rules,
        now,
      );
      // Whatever happens now, the next look is when the next reminder can fall due.
      statements.push(db.prepare('UPDATE alerts SET remind_check_at = ? WHERE id = ?').bind(nextReminderCheck(row.created_at, rules, now), row.id));
      if (ordinal === null) continue;
      const event: StoreEvent = { ...(JSON.parse(row.payload) as HealthEvent), storeId: row.store_id, workspaceId: row.workspace_id, createdAt: row.created_at };
      const due = routeAlert(event, rules, routes, now);
      // The ordinal is part of the key: a replayed sweep in the same interval inserts nothing.
      for (const [channelId, at] of due) {
        statements.push(
          db
            .prepare(
              `INSERT INTO deliveries (alert_id, channel_id, purpose, dedupe_key, state, attempts, next_attempt_at, created_at)
               VALUES (?, ?, 'reminder', ?, 'pending', 0, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING`,
            )
            .bind(row.id, channelId, `${row.event_key}|${channelId}|r${ordinal}`, at, now),
        );
      }
      statements.push(db.prepare('UPDATE alerts SET last_reminded_at = ? WHERE id = ?').bind(now, row.id));
      count++;
      for (const id of due.keys()) channels.add(id);
    }
    await db.batch(statements);
  }
  return { count, channels: [...channels] };
}

/** Run from the Cron Trigger (every few minutes). Bounded per run; the next run continues. */
export async function sweepOutbox(env: Env, now: number, deps: AlertDeps): Promise<SweepResult> {
  const db = env.DB;
  const events = firstWorkspaces(await undecidedEvents(db, now - UNDECIDED_LOOKBACK_MS, now - GRACE_MS, LIMIT, now), SWEEP_WORKSPACES_PER_TICK);
  if (events.length > 0) await fanOutEvents(env, events, now, { deps });

  const reminders = await remind(env, now);

  const { results } = await db
    .prepare(
      `SELECT DISTINCT channel_id FROM deliveries
       WHERE (state IN ('pending', 'failed') AND next_attempt_at <= ?) OR (state = 'sending' AND claimed_at <= ?)
       LIMIT 500`,
    )
    .bind(now, now - OUTBOX.stuckAfterMs)
    .all<{ channel_id: string }>();
  const due = new Set([...results.map((r) => r.channel_id), ...reminders.channels]);
  await wakeChannels(env, [...due].map((channelId) => ({ channelId, at: now })), now);
  return { eventsDecided: events.length, reminders: reminders.count, channelsWoken: due.size };
}
