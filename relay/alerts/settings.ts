/** The alert settings in D1: a workspace's rules, members' prefs, channels and who may use which. */
import { type AlertRules, DEFAULT_PREFS, type MemberPrefs, type MemberRoute, type RulesInput, withDefaults } from '../../shared/alerts/rules.ts';
import type { ChannelType } from '../../shared/alerts/channel-verdicts.ts';
import { type MemberRow, selectIn } from './directory.ts';

export interface RulesRecord {
  rules: AlertRules;
  /** 0 = never saved (the defaults). */
  version: number;
}

export async function loadRules(db: D1Database, workspaceId: string): Promise<RulesRecord> {
  const row = await db
    .prepare('SELECT rules, version FROM alert_rules WHERE workspace_id = ?')
    .bind(workspaceId)
    .first<{ rules: string; version: number }>();
  if (!row) return { rules: withDefaults(null), version: 0 };
  return { rules: withDefaults(JSON.parse(row.rules) as RulesInput), version: row.version };
}

/**
 * Saves the workspace's rules as version `version + 1`, only if nobody saved since the caller read
 * version `version` (0 = never saved). False when someone did.
 */
export async function saveRules(db: D1Database, workspaceId: string, version: number, rules: AlertRules, memberId: string, now: number): Promise<boolean> {
  const saved = await db
    .prepare(
      `INSERT INTO alert_rules (workspace_id, version, rules, updated_at, updated_by) SELECT ?1, ?2, ?3, ?4, ?5
       WHERE ?6 = COALESCE((SELECT version FROM alert_rules WHERE workspace_id = ?1), 0)
       ON CONFLICT(workspace_id) DO UPDATE SET version = excluded.version, rules = excluded.rules,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
    .bind(workspaceId, version + 1, JSON.stringify(rules), now, memberId, version)
    .run();
  return saved.meta.changes !== 0;
}

export async function savePrefs(db: D1Database, workspaceId: string, memberId: string, prefs: MemberPrefs, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO member_prefs (member_id, workspace_id, prefs, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(member_id) DO UPDATE SET prefs = excluded.prefs, updated_at = excluded.updated_at`,
    )
    .bind(memberId, workspaceId, JSON.stringify(prefs), now)
    .run();
}

/** Stored prefs merged over the defaults, so a member who never opened options still gets alerts. */
export function prefsFromJson(json: string | null | undefined): MemberPrefs {
  if (!json) return DEFAULT_PREFS;
  return { ...DEFAULT_PREFS, ...(JSON.parse(json) as Partial<MemberPrefs>) };
}

export async function loadPrefs(db: D1Database, memberIds: readonly string[]): Promise<Map<string, MemberPrefs>> {
  const rows = await selectIn<{ member_id: string; prefs: string }>(db, 'SELECT member_id, prefs FROM member_prefs WHERE member_id IN (?)', memberIds);
  return new Map(rows.map((r) => [r.member_id, prefsFromJson(r.prefs)]));
}

export interface ChannelRow {
  id: string;
  workspace_id: string;
  member_id: string | null;
  type: ChannelType;
  name: string;
  secret: string;
  secret_hint: string;
  language: string;
  time_zone: string;
  state: 'ok' | 'broken';
  broken_reason: string | null;
  broken_at: number | null;
  next_send_at: number;
  lease_token: string | null;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
}

export async function listChannels(db: D1Database, workspaceId: string): Promise<ChannelRow[]> {
  const { results } = await db.prepare('SELECT * FROM channels WHERE workspace_id = ? ORDER BY created_at, id').bind(workspaceId).all<ChannelRow>();
  return results;
}

export async function getChannel(db: D1Database, id: string): Promise<ChannelRow | null> {
  return db.prepare('SELECT * FROM channels WHERE id = ?').bind(id).first<ChannelRow>();
}

/** Each member with the channels they may use: the team's plus their own. */
export function memberRoutes(members: readonly MemberRow[], prefs: Map<string, MemberPrefs>, channels: readonly ChannelRow[]): MemberRoute[] {
  return members.map((m) => ({
    memberId: m.id,
    prefs: prefs.get(m.id) ?? DEFAULT_PREFS,
    channelIds: channels.filter((c) => c.member_id === null || c.member_id === m.id).map((c) => c.id),
  }));
}

/**
 * Everything routing needs for one workspace - its rules, its active members with their prefs, its
 * channels - in one D1 round trip (a batch of four reads), since the fan-out and the sweep ask it
 * once per workspace inside invocations with a budget of calls.
 */
export async function loadRouting(db: D1Database, workspaceId: string): Promise<{ rules: AlertRules; routes: MemberRoute[] }> {
  const [rules, members, channels, prefs] = await db.batch([
    db.prepare('SELECT rules FROM alert_rules WHERE workspace_id = ?').bind(workspaceId),
    db.prepare('SELECT id, role FROM members WHERE workspace_id = ? AND revoked_at IS NULL').bind(workspaceId),
    db.prepare('SELECT * FROM channels WHERE workspace_id = ? ORDER BY created_at, id').bind(workspaceId),
    db
      .prepare('SELECT p.member_id, p.prefs FROM member_prefs p JOIN members m ON m.id = p.member_id WHERE m.workspace_id = ? AND m.revoked_at IS NULL')
      .bind(workspaceId),
  ]);
  const saved = rules?.results[0] as { rules: string } | undefined;
  const prefsByMember = new Map(((prefs?.results ?? []) as Array<{ member_id: string; prefs: string }>).map((r) => [r.member_id, prefsFromJson(r.prefs)]));
  return {
    rules: withDefaults(saved ? (JSON.parse(saved.rules) as RulesInput) : null),
    routes: memberRoutes((members?.results ?? []) as unknown as MemberRow[], prefsByMember, (channels?.results ?? []) as unknown as ChannelRow[]),
  };
}
