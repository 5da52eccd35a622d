/**
 * Scheduling at 5,000 stores (issue 15): polls spread over the interval, each tick shared fairly
 * between workspaces, and no seller pushed past Amazon's report quota - on real D1.
 */
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { JobMessage } from '../../relay/pipeline/messages.ts';
import { scheduleDuePolls } from '../../relay/pipeline/schedule.ts';
import { pollPhase } from '../../shared/poll-plan.ts';

const NOW = Date.UTC(2026, 10, 23, 3, 0, 0);
const HOUR = 3_600_000;

function recordingQueue() {
  const sent: JobMessage[] = [];
  const queue = {
    async sendBatch(messages: Iterable<{ body: JobMessage }>) {
      sent.push(...[...messages].map((m) => m.body));
    },
  } as unknown as Queue;
  return { sent, queue };
}

interface SeedStore {
  id: string;
  workspace: string;
  sellerId?: string;
  marketplaces?: number;
  nextPollAt?: number;
}

async function seed(stores: readonly SeedStore[]): Promise<void> {
  const workspaces = [...new Set(stores.map((s) => s.workspace))];
  const statements = workspaces.map((w) => env.DB.prepare('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)').bind(w, w, NOW));
  for (const s of stores) {
    statements.push(
      env.DB.prepare(
        `INSERT INTO stores (id, workspace_id, name, region, seller_id, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, next_poll_at, poll_phase, created_at, updated_at)
         VALUES (?, ?, ?, 'na', ?, 'c', 'iv', 'k', ?, ?, ?, ?)`,
      ).bind(s.id, s.workspace, s.id, s.sellerId ?? null, s.nextPollAt ?? NOW - 1000, pollPhase(s.id), NOW, NOW),
    );
    for (const m of ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2', 'A1AM78C64UM0Y8'].slice(0, s.marketplaces ?? 1)) {
      statements.push(env.DB.prepare('INSERT INTO store_marketplaces (store_id, workspace_id, marketplace_id, country_code) VALUES (?, ?, ?, ?)').bind(s.id, s.workspace, m, 'US'));
    }
  }
  for (let i = 0; i < statements.length; i += 100) await env.DB.batch(statements.slice(i, i + 100));
}

const storesOf = (workspace: string, n: number, extra: Partial<SeedStore> = {}): SeedStore[] => Array.from({ length: n }, (_, i) => ({ id: `${workspace}-${i}`, workspace, ...extra }));
const pollsOf = (sent: readonly JobMessage[]) => sent.flatMap((m) => (m.kind === 'poll' ? [m] : []));

beforeEach(async () => {
  await env.DB.batch(['report_jobs', 'store_marketplaces', 'stores', 'workspaces'].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
});

describe('scheduling many stores', () => {
  it('shares a full tick between workspaces in turn: a 900-store backlog leaves room for a 50-store workspace', async () => {
    await seed([...storesOf('big', 900, { nextPollAt: NOW - 2 * HOUR }), ...storesOf('small', 50)]);
    const { sent, queue } = recordingQueue();
    expect(await scheduleDuePolls({ DB: env.DB, JOBS: queue }, NOW, 100)).toBe(100);
    const count = (workspace: string) => pollsOf(sent).filter((m) => m.workspaceId === workspace).length;
    expect(count('big')).toBe(50);
    expect(count('small')).toBe(50);
  });

  it('spreads the next polls of stores added together over the whole interval instead of one instant', async () => {
    await seed(storesOf('agency', 500));
    const { queue } = recordingQueue();
    expect(await scheduleDuePolls({ DB: env.DB, JOBS: queue }, NOW)).toBe(500);
    const { results } = await env.DB.prepare('SELECT next_poll_at AS at FROM stores').all<{ at: number }>();
    const minutes = new Map<number, number>();
    for (const { at } of results) {
      expect(at).toBeGreaterThanOrEqual(NOW + HOUR / 2);
      expect(at).toBeLessThan(NOW + HOUR + HOUR / 2);
      minutes.set(Math.floor(at / 60_000), (minutes.get(Math.floor(at / 60_000)) ?? 0) + 1);
    }
    // 500 stores over 60 minutes: about 8 a minute; no minute takes a crowd.
    expect(minutes.size).toBeGreaterThanOrEqual(55);
    expect(Math.max(...minutes.values())).toBeLessThanOrEqual(25);
  });

  it('keeps each store on its own phase poll after poll, whenever the tick runs', async () => {
    await seed(storesOf('phase', 20));
    const { queue } = recordingQueue();
    await scheduleDuePolls({ DB: env.DB, JOBS: queue }, NOW);
    const first = await env.DB.prepare('SELECT id, next_poll_at AS at FROM stores ORDER BY id').all<{ id: string; at: number }>();
    // Each tick a minute late: the schedule does not drift by it.
    for (const { at } of first.results) await scheduleDuePolls({ DB: env.DB, JOBS: queue }, at + 60_000);
    const second = await env.DB.prepare('SELECT id, next_poll_at AS at FROM stores ORDER BY id').all<{ id: string; at: number }>();
    second.results.forEach((row, i) => expect(row.at - first.results[i]!.at).toBe(HOUR));
  });

  it("defers a store whose seller's report quota is spent, and polls it once the window has passed", async () => {
    // Four stores of one seller (four workspaces connected it), 3 marketplaces each, and two
    // refreshes of 3 reports in the last 15 minutes: 6 + 3 + 3 + 3 = 15 fit, a fourth poll would not.
    await seed([
      { id: 'shared-a', workspace: 'w1', sellerId: 'A1SELLER', marketplaces: 3 },
      { id: 'shared-b', workspace: 'w2', sellerId: 'A1SELLER', marketplaces: 3 },
      { id: 'shared-c', workspace: 'w3', sellerId: 'A1SELLER', marketplaces: 3 },
      { id: 'shared-d', workspace: 'w4', sellerId: 'A1SELLER', marketplaces: 3 },
      { id: 'refreshed', workspace: 'w5', sellerId: 'A1SELLER', marketplaces: 3, nextPollAt: NOW + HOUR },
      { id: 'alone', workspace: 'w6', sellerId: 'A2OTHER', marketplaces: 3 },
    ]);
    await env.DB.batch(
      [NOW - 10 * 60_000, NOW - 5 * 60_000].map((at, i) =>
        env.DB.prepare(
          `INSERT INTO report_jobs (id, workspace_id, store_id, trigger, state, version, data, not_before, started_at, finished_at, updated_at) VALUES (?1, 'w5', 'refreshed', 'refresh', 'done', 1, '{}', ?2, ?2, ?2, ?2)`,
        ).bind(`j${i}`, at),
      ),
    );
    const { sent, queue } = recordingQueue();
    expect(await scheduleDuePolls({ DB: env.DB, JOBS: queue }, NOW)).toBe(4);
    const polled = pollsOf(sent).map((m) => m.storeId);
    expect(polled).toContain('alone');
    expect(polled.filter((id) => id.startsWith('shared-'))).toHaveLength(3);
    // The deferred store stays due; with no report started in the last 15 minutes it goes.
    await env.DB.prepare('UPDATE report_jobs SET started_at = ?').bind(NOW - 20 * 60_000).run();
    const later = recordingQueue();
    expect(await scheduleDuePolls({ DB: env.DB, JOBS: later.queue }, NOW + 60_000)).toBe(1);
  });
});
