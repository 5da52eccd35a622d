/**
 * Alert rules: which events become alerts, and which member hears about them on which channel
 * when. Pure; `now` comes in. Defaults make sense with no configuration (issue 5, "Rules"): every
 * kind alerts - including what the report says beside the levels (a new A-to-z claim under
 * target, a warning state turning BAD, a rating or score change, suspended listings) - recoveries
 * are sent, an unacknowledged breach is reminded daily, no quiet hours.
 */
import type { HealthEvent, HealthEventKind, Level, ThresholdRules } from '../types.ts';
import { DEFAULT_TIME_ZONE, type QuietHours, quietUntil } from './quiet-hours.ts';

export type KindSwitches = Record<HealthEventKind, boolean>;

export const EVENT_KINDS: readonly HealthEventKind[] = [
  'level_changed',
  'headroom_low',
  'policy_count_rose',
  'account_status_changed',
  'ahr_status_changed',
  'ahr_score_changed',
  'warning_state_changed',
  'odr_defects_rose',
  'suspended_listings',
  'auth_lost',
  'reauth_due',
  'data_stale',
  'polling_failing',
  'negative_feedback',
];

/** A workspace's rules, as stored (versioned by the relay) and as `GET /v1/rules` returns them. */
export interface AlertRules {
  /** Which event kinds alert, workspace-wide. */
  kinds: KindSwitches;
  /** Narrower switches: keys are store ids / `${storeId}/${marketplaceId}`; absent kinds inherit. */
  kindsByStore: Record<string, Partial<KindSwitches>>;
  kindsByMarketplace: Record<string, Partial<KindSwitches>>;
  /** Warn margin and headroom thresholds, scoped workspace -> store -> marketplace (read by evaluate). */
  thresholds: ThresholdRules;
  /** Send a message when a metric is back on target. */
  recoveryMessages: boolean;
  /** Remind about an unacknowledged breach every this many hours; 0 turns reminders off. */
  reminderIntervalHours: number;
  /** No fresh report for this long makes the pipeline raise `data_stale`. */
  staleAfterHours: number;
}

export const DEFAULT_RULES: AlertRules = {
  kinds: Object.fromEntries(EVENT_KINDS.map((k) => [k, true])) as KindSwitches,
  kindsByStore: {},
  kindsByMarketplace: {},
  thresholds: {},
  recoveryMessages: true,
  reminderIntervalHours: 24,
  staleAfterHours: 24,
};

type LooseSwitches = Partial<Record<string, boolean>>;

/** Rules as stored or sent: any field may be missing, switches may name kinds we no longer know. */
export interface RulesInput {
  kinds?: LooseSwitches;
  kindsByStore?: Record<string, LooseSwitches>;
  kindsByMarketplace?: Record<string, LooseSwitches>;
  thresholds?: ThresholdRules;
  recoveryMessages?: boolean;
  reminderIntervalHours?: number;
  staleAfterHours?: number;
}

function knownKinds(switches: LooseSwitches | undefined): Partial<KindSwitches> {
  const out: Partial<KindSwitches> = {};
  for (const kind of EVENT_KINDS) {
    const on = switches?.[kind];
    if (typeof on === 'boolean') out[kind] = on;
  }
  return out;
}

function knownKindsByKey(scoped: Record<string, LooseSwitches> | undefined): Record<string, Partial<KindSwitches>> {
  return Object.fromEntries(Object.entries(scoped ?? {}).map(([k, sw]) => [k, knownKinds(sw)]));
}

/** Fills what stored (possibly older) rules lack with the defaults, so new fields never break reads. */
export function withDefaults(stored: RulesInput | null | undefined): AlertRules {
  const s = stored ?? {};
  return {
    kinds: { ...DEFAULT_RULES.kinds, ...knownKinds(s.kinds) },
    kindsByStore: knownKindsByKey(s.kindsByStore),
    kindsByMarketplace: knownKindsByKey(s.kindsByMarketplace),
    thresholds: s.thresholds ?? {},
    recoveryMessages: s.recoveryMessages ?? DEFAULT_RULES.recoveryMessages,
    reminderIntervalHours: s.reminderIntervalHours ?? DEFAULT_RULES.reminderIntervalHours,
    staleAfterHours: s.staleAfterHours ?? DEFAULT_RULES.staleAfterHours,
  };
}

export type Language = 'zh-CN' | 'en';

/** One member's own settings (`GET/PUT /v1/prefs`). */
export interface MemberPrefs {
  language: Language;
  timeZone: string;
  quietHours: QuietHours | null;
  /** Store ids this member follows, or every store. */
  stores: 'all' | string[];
  /** Channel ids this member follows, or every channel they can use. */
  channels: 'all' | string[];
}

export const DEFAULT_PREFS: MemberPrefs = {
  language: 'zh-CN',
  timeZone: DEFAULT_TIME_ZONE,
  quietHours: null,
  stores: 'all',
  channels: 'all',
};

/**
 * An event with where and when it happened: its store, the store's workspace, and when the
 * relay recorded it. The one shape an event has from the pipeline's diff to alerting.
 */
export interface StoreEvent extends HealthEvent {
  storeId: string;
  workspaceId: string;
  createdAt: number;
}

const LEVEL_RANK: Record<Level, number> = { unknown: 0, ok: 1, warn: 2, breach: 3 };
const CRITICAL_ACCOUNT = new Set(['AT_RISK', 'DEACTIVATED', 'SUSPENDED']);
const HEALTHY_AHR = new Set(['GREAT', 'GOOD', 'FAIR', 'HEALTHY']);

function asLevel(text: string | null): Level | null {
  return text === 'unknown' || text === 'ok' || text === 'warn' || text === 'breach' ? text : null;
}

/** How an event reads to a person: something went wrong, or something got better. */
export type AlertCategory = 'problem' | 'recovery';

export type Classification =
  | { alert: false; reason: 'kind_off' | 'recovery_off' | 'no_news' }
  | { alert: true; category: AlertCategory; critical: boolean; remind: boolean };

/** Whether events of `kind` alert for a store's marketplace: the narrowest switch that says wins. */
export function kindOn(rules: AlertRules, kind: HealthEventKind, storeId: string, marketplaceId: string | null): boolean {
  const scoped = [rules.kindsByMarketplace[`${storeId}/${marketplaceId ?? ''}`], rules.kindsByStore[storeId]];
  for (const switches of scoped) {
    const on = switches?.[kind];
    if (on !== undefined) return on;
  }
  return rules.kinds[kind];
}

function kindEnabled(event: StoreEvent, rules: AlertRules): boolean {
  return kindOn(rules, event.kind, event.storeId, event.marketplaceId);
}

function categoryOf(event: StoreEvent): AlertCategory | null {
  switch (event.kind) {
    case 'level_changed': {
      const from = asLevel(event.from);
      const to = asLevel(event.to);
      if (!to || to === 'unknown') return null; // data gone: `data_stale` speaks for that
      if (to === 'ok') return from && from !== 'unknown' && from !== 'ok' ? 'recovery' : null;
      return LEVEL_RANK[to] > LEVEL_RANK[from ?? 'unknown'] ? 'problem' : 'recovery';
    }
    case 'account_status_changed':
      if (event.to === 'NORMAL') return event.from && event.from !== 'NORMAL' && event.from !== 'UNKNOWN' ? 'recovery' : null;
      return 'problem';
    case 'ahr_status_changed':
      return HEALTHY_AHR.has(event.to ?? '') ? 'recovery' : 'problem';
    case 'ahr_score_changed':
      return Number(event.to) < Number(event.from) ? 'problem' : 'recovery';
    case 'warning_state_changed':
      return event.to === 'BAD' ? 'problem' : 'recovery';
    case 'suspended_listings':
      return event.to === 'true' ? 'problem' : 'recovery';
    default:
      return 'problem';
  }
}

/**
 * Critical alerts pass quiet hours: a breach, an account AT_RISK or DEACTIVATED, authorization
 * lost (issue 5), or whatever the diff itself called critical.
 */
export function isCritical(event: HealthEvent): boolean {
  if (event.severity === 'critical') return true;
  if (event.kind === 'level_changed') return event.to === 'breach';
  if (event.kind === 'account_status_changed') return CRITICAL_ACCOUNT.has(event.to ?? '');
  return event.kind === 'auth_lost';
}

/** A breach or a critical account status is reminded until acknowledged or resolved. */
function wantsReminder(event: HealthEvent): boolean {
  if (event.kind === 'level_changed') return event.to === 'breach';
  return event.kind === 'account_status_changed' && CRITICAL_ACCOUNT.has(event.to ?? '');
}

/** Does this event become an alert at all (before any member's routing)? */
export function classifyEvent(event: StoreEvent, rules: AlertRules): Classification {
  if (!kindEnabled(event, rules)) return { alert: false, reason: 'kind_off' };
  const category = categoryOf(event);
  if (!category) return { alert: false, reason: 'no_news' };
  if (category === 'recovery' && !rules.recoveryMessages) return { alert: false, reason: 'recovery_off' };
  const problem = category === 'problem';
  return { alert: true, category, critical: problem && isCritical(event), remind: problem && wantsReminder(event) };
}

/** What the relay knows about one member when routing: their prefs and the channels they may use. */
export interface MemberRoute {
  memberId: string;
  prefs: MemberPrefs;
  /** Team channels plus this member's personal ones (OA binding, ServerChan, PushPlus), usable now. */
  channelIds: string[];
}

export type AlertDecision =
  | { notify: false; reason: 'kind_off' | 'recovery_off' | 'no_news' | 'store_not_followed' | 'no_channel' }
  | { notify: true; channelIds: string[]; notBefore: number; critical: boolean };

/**
 * Whether `member` hears about `event`, on which channels, and from when: outside quiet hours (or
 * for a critical alert) at once, otherwise when their quiet hours end - held, not dropped, so
 * nothing is lost (and a night's worth goes out as one batch in the morning).
 */
export function decideAlert(event: StoreEvent, rules: AlertRules, member: MemberRoute, now: number): AlertDecision {
  const c = classifyEvent(event, rules);
  if (!c.alert) return { notify: false, reason: c.reason };
  const { stores, channels } = member.prefs;
  if (stores !== 'all' && !stores.includes(event.storeId)) return { notify: false, reason: 'store_not_followed' };
  const channelIds = channels === 'all' ? member.channelIds : member.channelIds.filter((id) => channels.includes(id));
  if (channelIds.length === 0) return { notify: false, reason: 'no_channel' };
  const held = c.critical ? null : quietUntil(member.prefs.quietHours, member.prefs.timeZone, now);
  return { notify: true, channelIds, notBefore: held ?? now, critical: c.critical };
}

/**
 * One alert's deliveries across all members: a channel two members follow gets one delivery, sent
 * as soon as any of them wants it (a team robot is not muted by one member's night).
 */
export function routeAlert(
  event: StoreEvent,
  rules: AlertRules,
  members: readonly MemberRoute[],
  now: number,
): Map<string, number> {
  const due = new Map<string, number>();
  for (const member of members) {
    const d = decideAlert(event, rules, member, now);
    if (!d.notify) continue;
    for (const id of d.channelIds) due.set(id, Math.min(due.get(id) ?? Infinity, d.notBefore));
  }
  return due;
}

/** What reminder bookkeeping needs of an alert. */
export interface ReminderState {
  createdAt: number;
  remind: boolean;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  lastRemindedAt: number | null;
}

/**
 * The ordinal of the reminder due at `now` (1 = first), or null. The ordinal is derived from the
 * alert's age, so a replayed sweep computes the same one and its dedupe key stops a second copy.
 */
/** With reminders off, how often an open alert is looked at again (they may be turned on). */
export const REMINDERS_OFF_RECHECK_MS = 3_600_000;

/**
 * When the next reminder of an open alert can fall due, after `now`: the next multiple of the
 * interval since it was created. The sweep looks at the alert again only then, so alerts that
 * are not due never crowd out those that are.
 */
export function nextReminderCheck(createdAt: number, rules: AlertRules, now: number): number {
  const interval = rules.reminderIntervalHours * 3_600_000;
  if (!(interval > 0)) return now + REMINDERS_OFF_RECHECK_MS;
  return createdAt + (Math.floor((now - createdAt) / interval) + 1) * interval;
}

export function reminderDue(alert: ReminderState, rules: AlertRules, now: number): number | null {
  if (!alert.remind || alert.acknowledgedAt !== null || alert.resolvedAt !== null) return null;
  const interval = rules.reminderIntervalHours * 3_600_000;
  if (!(interval > 0)) return null;
  const ordinal = Math.floor((now - alert.createdAt) / interval);
  if (ordinal < 1) return null;
  if (alert.lastRemindedAt !== null && Math.floor((alert.lastRemindedAt - alert.createdAt) / interval) >= ordinal) return null;
  return ordinal;
}
