/**
 * Every table the migrations create either has a window in the cron's one retention pass
 * (relay/retention.ts deletes from it) or cannot grow with time, for the reason given here. A table
 * added later without either fails this test, until it is pruned there or listed here (issue 14,
 * finding 5: nothing grows without bound).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

/** Tables bounded by construction, and why. */
const BOUNDED: Record<string, string> = {
  workspaces: 'one per team',
  stores: 'capped per workspace (shared/api/limits.ts)',
  store_marketplaces: 'a handful per store, removed with it',
  store_merchant_ids: 'a few per store, removed with it',
  access_tokens: 'one per store, overwritten',
  alert_rules: 'one per workspace',
  member_prefs: 'one per member, removed with the member',
  channels: 'capped per workspace and member',
  oa_bindings: 'one per member',
  oa_tokens: 'one per Official Account',
  relay_state: 'one row per fact about the relay',
  feedback_counts: 'one per store and marketplace',
  store_removals: 'one tombstone per removed store, for delta sync',
};

/** Tables pruned where they are written rather than by the cron's pass, and where. */
const PRUNED_WHERE_WRITTEN: Record<string, string> = {
  wechat_nonces: 'each callback deletes the nonces older than the signature window (relay/alerts/oa-bindings-db.ts)',
};

function createdTables(): string[] {
  const dir = `${root}relay/migrations`;
  const sql = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => readFileSync(`${dir}/${f}`, 'utf8'))
    .join('\n');
  const created = [...sql.matchAll(/CREATE TABLE(?: IF NOT EXISTS)? (\w+)/gi)].map((m) => m[1]!);
  const dropped = new Set([...sql.matchAll(/DROP TABLE(?: IF EXISTS)? (\w+)/gi)].map((m) => m[1]!));
  return [...new Set(created)].filter((t) => !dropped.has(t));
}

/** Tables the retention module deletes from: `DELETE FROM <table>` or its slice helper's first argument. */
function prunedTables(): Set<string> {
  const source = readFileSync(`${root}relay/retention.ts`, 'utf8');
  return new Set([...source.matchAll(/(?:DELETE FROM|slice\(')\s*(\w+)/g)].map((m) => m[1]!));
}

describe('retention coverage', () => {
  it('prunes every table of the schema that grows with time', () => {
    const pruned = prunedTables();
    expect(pruned.size).toBeGreaterThan(10);
    const unaccounted = createdTables().filter((t) => !pruned.has(t) && !(t in BOUNDED) && !(t in PRUNED_WHERE_WRITTEN));
    expect(unaccounted, 'give these a window in relay/retention.ts, or list them as bounded (with the reason) in this test').toEqual([]);
  });

  it('reads the tables of the migrations and of the retention module', () => {
    expect(createdTables()).toEqual(expect.arrayContaining(['stores', 'deliveries', 'rate_limits']));
    expect([...prunedTables()]).toEqual(expect.arrayContaining(['snapshots', 'deliveries', 'rate_limits', 'invites']));
  });
});
