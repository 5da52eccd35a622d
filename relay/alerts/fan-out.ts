/**
 * Events -> alerts -> deliveries. Everything one event causes is written in one `db.batch` (D1
 * runs a batch as one transaction) with `ON CONFLICT DO NOTHING` on its keys, and marked decided
 * in `alert_fanouts` in that same batch: a replay creates nothing twice, a crash leaves the event
 * undecided for the sweeper. Then delivery is tried at once (the 1-second budget of issue 5), with
 * the queue and the sweeper behind it.
 */
import { type Classification, type StoreEvent, classifyEvent, routeAlert } from '../../shared/alerts/rules.ts';
import type { HealthEvent } from '../../shared/types.ts';
import type { Env } from '../env.ts';
import type { AlertDeps } from '../platform-deps.ts';
import { deliverChannel } from './deliver.ts';
import { foldFeedbackAlerts } from './feedback-fold-db.ts';
import { loadRouting } from './settings.ts';
import { wakeChannels } from './wake.ts';

export interface FanOutOptions {
  /** When given, delivery starts right away under `waitUntil`; the queue is the safety net. */
  ctx?: Pick<ExecutionContext, 'waitUntil'>;
  deps: AlertDeps;
}

export interface FanOutResult {
  /** Events that passed the rules (alerts written, or already there on a replay). */
  alerted: number;
  /** Channel -> earliest time one of its new deliveries is due. */
  channels: Map<string, number>;
}

/** Kinds whose newer event closes the older alert on the same subject (it stops reminders). */
const RESOLVING_KINDS = new Set(['level_changed', 'account_status_changed']);
/**
 * Channels a fan-out sends to at once, inside the invocation that found the events; the others are
 * woken through the DELIVERIES queue at once, each batch an invocation of its own. A job step's own
 * Amazon calls plus this many deliveries (up to 4 fetches each: the Official Account's token twice
 * and its send twice) stay far inside the 50 subrequests of an invocation (docs/operations.md).
 */
export const MAX_IMMEDIATE_DELIVERIES = 3;
/** Safety-net wake-up behind an immediate attempt: late enough not to race it. */
const SAFETY_NET_MS = 60_000;
/** Statements per `db.batch`; an event's statements never straddle two batches. */
const BATCH_STATEMENTS = 80;

/** `covered`: another event tells the same people the same thing (shared/alerts/feedback-fold.ts). */
type Decision = Classification | { alert: false; reason: 'covered' };

function statementsFor(db: D1Database, event: StoreEvent, alert: Decision, due: Map<string, number>, now: number): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  if (RESOLVING_KINDS.has(event.kind)) {
    out.push(
      db
        .prepare(
          `UPDATE alerts SET resolved_at = ?1 WHERE workspace_id = ?2 AND store_id = ?3 AND kind = ?4
           AND marketplace_id IS ?5 AND metric IS ?6 AND resolved_at IS NULL AND created_at < ?1 AND event_key != ?7`,
        )
        .bind(event.createdAt, event.workspaceId, event.storeId, event.kind, event.marketplaceId, event.metric, event.key),
    );
  }
  if (alert.alert) {
    const { key, kind, severity, marketplaceId, metric, from, to, detail } = event;
    out.push(
      db
        .prepare(
          `INSERT INTO alerts (workspace_id, store_id, marketplace_id, event_key, kind, severity, category, metric, from_value, to_value, payload, remind, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(event_key) DO NOTHING`,
        )
        .bind(
          event.workspaceId,
          event.storeId,
          marketplaceId,
          key,
          kind,
          severity,
          alert.category,
          metric,
          from,
          to,
          JSON.stringify({ key, kind, severity, marketplaceId, metric, from, to, detail } satisfies HealthEvent),
          alert.remind ? 1 : 0,
          event.createdAt,
        ),
    );
    for (const [channelId, notBefore] of due) {
      out.push(
        db
          .prepare(
            `INSERT INTO deliveries (alert_id, channel_id, purpose, dedupe_key, state, attempts, next_attempt_at, created_at)
             SELECT id, ?1, 'alert', ?2, 'pending', 0, ?3, ?4 FROM alerts WHERE event_key = ?5
             ON CONFLICT(dedupe_key) DO NOTHING`,
          )
          .bind(channelId, `${key}|${channelId}`, notBefore, now, key),
      );
    }
  }
  out.push(
    db
      .prepare('INSERT INTO alert_fanouts (event_key, alerted, decided_at) VALUES (?, ?, ?) ON CONFLICT(event_key) DO NOTHING')
      .bind(event.key, alert.alert ? 1 : 0, now),
  );
  return out;
}

/** Writes alerts and deliveries for events (already in the events table) and starts delivery. */
export async function fanOutEvents(env: Env, events: readonly StoreEvent[], now: number, options: FanOutOptions): Promise<FanOutResult> {
  const deps = options.deps;
  const db = env.DB;
  const channels = new Map<string, number>();
  let alerted = 0;
  const byWorkspace = new Map<string, StoreEvent[]>();
  for (const event of [...events].sort((a, b) => a.createdAt - b.createdAt)) {
    byWorkspace.set(event.workspaceId, [...(byWorkspace.get(event.workspaceId) ?? []), event]);
  }
  for (const [workspaceId, inWorkspace] of byWorkspace) {
    const { rules, routes } = await loadRouting(db, workspaceId);
    const classified = inWorkspace.map((event) => ({ event, decision: classifyEvent(event, rules) as Decision }));
    // One negative feedback, one message: the per-order event and the ODR count rise are folded.
    const fold = await foldFeedbackAlerts(db, classified.filter((c) => c.decision.alert).map((c) => c.event), rules, now);
    let pending: D1PreparedStatement[] = [...fold.statements];
    for (const { event, decision: classifiedAs } of classified) {
      const verdict = fold.verdicts.get(event.key);
      // Held: left undecided, for the sweep to bring back when the hold is over.
      if (verdict === 'hold') continue;
      const decision: Decision = verdict === 'silent' ? { alert: false, reason: 'covered' } : classifiedAs;
      const due = decision.alert ? routeAlert(event, rules, routes, now) : new Map<string, number>();
      const statements = statementsFor(db, event, decision, due, now);
      if (pending.length + statements.length > BATCH_STATEMENTS && pending.length > 0) {
        await db.batch(pending);
        pending = [];
      }
      pending.push(...statements);
      if (decision.alert) alerted++;
      for (const [id, at] of due) channels.set(id, Math.min(channels.get(id) ?? Infinity, at));
    }
    if (pending.length > 0) await db.batch(pending);
  }
  if (channels.size > 0) {
    const immediate = new Set(options.ctx ? [...channels].filter(([, at]) => at <= now).map(([id]) => id).slice(0, MAX_IMMEDIATE_DELIVERIES) : []);
    if (options.ctx && immediate.size > 0) {
      options.ctx.waitUntil(Promise.allSettled([...immediate].map((id) => deliverChannel(env, deps, id, now))));
    }
    // The queue wakes the rest now, and is the safety net behind the immediate ones.
    const wakes = [...channels].map(([channelId, at]) => ({ channelId, at: immediate.has(channelId) ? now + SAFETY_NET_MS : at }));
    await wakeChannels(env, wakes, now);
  }
  return { alerted, channels };
}
