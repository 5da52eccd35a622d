import { createScheduledController, env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../relay/env.ts';
import type { JobMessage } from '../../relay/pipeline/messages.ts';
import { STALLED_AFTER_MS, resumeStalledJobs, scheduleDuePolls } from '../../relay/pipeline/schedule.ts';
import { platformDeps, systemPlatform } from '../../relay/platform-deps.ts';
import { DEFAULT_RETENTION_DAYS, pruneExpired, retentionDays } from '../../relay/retention.ts';
import { handleScheduled } from '../../relay/scheduled.ts';
import { startJob } from '../../shared/report-job.ts';
import { type Counter, countingDb } from './helpers/counting-db.ts';

const NOW = Date.UTC(2026, 10, 23, 3, 0, 0);
const DAY = 86_400_000;

function recordingQueue(counter: Counter = { n: 0 }) {
  const batches: JobMessage[][] = [];
  const queue = {
    async sendBatch(messages: Iterable<{ body: JobMessage }>) {
      counter.n++;
      const list = [...messages];
      if (list.length > 100) throw new Error('Queues take at most 100 messages per sendBatch');
      batches.push(list.map((m) => m.body));
    },
    async send(body: JobMessage) {
      counter.n++;
      batches.push([body]);
    },
  } as unknown as Queue;
  return { batches, queue };
}

async function seedStores(n: number, overrides: (i: number) => { paused?: number; auth?: string; nextPollAt?: number } = () => ({})): Promise<void> {
  await env.DB.prepare('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)').bind('ws-cron', 'Cron', NOW).run();
  const statements = [];
  for (let i = 0; i < n; i++) {
    const o = overrides(i);
    statements.push(
      env.DB.prepare(
        `INSERT INTO stores (id, workspace_id, name, region, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, paused, auth_state, next_poll_at, created_at, updated_at)
         VALUES (?, 'ws-cron', ?, 'na', 'c', 'iv', 'k', ?, ?, ?, ?, ?)`,
      ).bind(`s${i}`, `Store ${i}`, o.paused ?? 0, o.auth ?? 'ok', o.nextPollAt ?? NOW - 1000, NOW, NOW),
    );
  }
  for (let i = 0; i < statements.length; i += 100) await env.DB.batch(statements.slice(i, i + 100));
}

const polls = (batches: JobMessage[][]) => batches.flat().filter((m) => m.kind === 'poll' && m.report === undefined);
const feedbackPolls = (batches: JobMessage[][]) => batches.flat().filter((m) => m.kind === 'poll' && m.report === 'feedback');

beforeEach(async () => {
  await env.DB.batch(['report_jobs', 'events', 'snapshots', 'stores', 'workspaces'].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
});

describe('the cron tick only schedules', () => {
  it('sends 1,000 due stores as 10 queue batches of 100, within the free plan budget of 50 subrequests for the whole tick', async () => {
    await seedStores(1000);
    const subrequests: Counter = { n: 0 };
    const { batches, queue } = recordingQueue(subrequests);
    const deliveries = recordingQueue(subrequests).queue;
    const tick = { ...env, DB: countingDb(env.DB, subrequests), JOBS: queue, DELIVERIES: deliveries } as Env;
    await handleScheduled(createScheduledController({ scheduledTime: new Date(NOW), cron: '*/5 * * * *' }), tick, platformDeps(tick, { ...systemPlatform, now: () => NOW }));
    // 10 batches of account-health polls, 2 of feedback polls (at most 200 a tick), 1 of identity re-reads (at most 100).
    expect(batches.map((b) => b.length)).toEqual(Array(13).fill(100));
    expect(new Set(polls(batches).map((m) => (m.kind === 'poll' ? m.storeId : '')))).toHaveLength(1000);
    expect(feedbackPolls(batches)).toHaveLength(200);
    expect(batches.flat().filter((m) => m.kind === 'identity')).toHaveLength(100);
    // Scheduling (the fair share reads a few statements) + 13 sendBatch; stalled jobs, the alert and
    // digest sweeps, the key check and retention add a few: 30 when measured, well under 50.
    console.info(`cron tick with 1,000 due stores: ${subrequests.n} subrequests (D1 calls + queue sends)`);
    expect(subrequests.n).toBeLessThanOrEqual(35);
  });

  it('uses one D1 batch to read, one statement to move and one sendBatch per hundred stores to schedule', async () => {
    await seedStores(250);
    const subrequests: Counter = { n: 0 };
    const { batches, queue } = recordingQueue(subrequests);
    expect(await scheduleDuePolls({ DB: countingDb(env.DB, subrequests), JOBS: queue }, NOW)).toBe(250);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(subrequests.n).toBe(2 + 3);
  });

  it('skips paused stores, stores whose authorization is lost and stores not yet due', async () => {
    await seedStores(4, (i) => [{}, { paused: 1 }, { auth: 'lost' }, { nextPollAt: NOW + 60_000 }][i]!);
    const { batches, queue } = recordingQueue();
    await scheduleDuePolls({ DB: env.DB, JOBS: queue }, NOW);
    expect(batches.flat()).toEqual([{ kind: 'poll', storeId: 's0', workspaceId: 'ws-cron' }]);
  });

  it('moves the next poll by the store interval in the same statement, so an overlapping tick schedules nothing twice', async () => {
    await seedStores(3);
    const { batches, queue } = recordingQueue();
    await Promise.all([scheduleDuePolls({ DB: env.DB, JOBS: queue }, NOW), scheduleDuePolls({ DB: env.DB, JOBS: queue }, NOW + 1000)]);
    expect(batches.flat()).toHaveLength(3);
    const row = await env.DB.prepare('SELECT next_poll_at FROM stores WHERE id = ?').bind('s0').first<{ next_poll_at: number }>();
    expect(row?.next_poll_at).toBeGreaterThanOrEqual(NOW + 60 * 60_000);
  });

  it('leaves stores beyond 1,000 due for the next tick, oldest due first', async () => {
    await seedStores(1003, (i) => ({ nextPollAt: NOW - (i + 1) * 1000 }));
    const { batches, queue } = recordingQueue();
    expect(await scheduleDuePolls({ DB: env.DB, JOBS: queue }, NOW)).toBe(1000);
    const scheduled = new Set(polls(batches).map((m) => (m.kind === 'poll' ? m.storeId : '')));
    expect(['s0', 's1', 's2'].some((id) => scheduled.has(id))).toBe(false);
    expect(await scheduleDuePolls({ DB: env.DB, JOBS: queue }, NOW)).toBe(3);
  });

  it('keeps going when one part of the tick fails', async () => {
    await seedStores(2);
    const { batches, queue } = recordingQueue();
    const broken = { ...env, JOBS: queue, DELIVERIES: { sendBatch: () => Promise.reject(new Error('down')), send: () => Promise.reject(new Error('down')) } } as unknown as Env;
    await handleScheduled(createScheduledController({ scheduledTime: new Date(NOW), cron: '*/5 * * * *' }), broken, platformDeps(broken, { ...systemPlatform, now: () => NOW }));
    expect(polls(batches)).toHaveLength(2);
    expect(feedbackPolls(batches)).toHaveLength(2);
  });
});

describe('stalled jobs', () => {
  async function jobWith(id: string, notBefore: number, finished = false): Promise<void> {
    const job = { ...startJob(id, 's0', ['ATVPDKIKX0DER'], NOW - DAY), version: 3, notBefore };
    await env.DB.prepare(
      `INSERT INTO report_jobs (id, workspace_id, store_id, trigger, state, version, data, not_before, started_at, finished_at, updated_at)
       VALUES (?, 'ws-cron', 's0', 'schedule', ?, 3, ?, ?, ?, ?, ?)`,
    )
      .bind(id, finished ? 'done' : 'waiting', JSON.stringify(job), notBefore, NOW - DAY, finished ? NOW : null, NOW)
      .run();
  }

  it('re-sends the step message, for its current version, of a job whose step is long overdue', async () => {
    await seedStores(1);
    await jobWith('stalled', NOW - STALLED_AFTER_MS - 1);
    const { batches, queue } = recordingQueue();
    expect(await resumeStalledJobs({ DB: env.DB, JOBS: queue }, NOW)).toBe(1);
    expect(batches.flat()).toEqual([{ kind: 'step', jobId: 'stalled', version: 3 }]);
  });

  it('leaves alone jobs that are merely waiting out a back-off, and finished ones', async () => {
    await seedStores(1);
    await jobWith('backing-off', NOW + 10 * 60_000);
    await env.DB.prepare('UPDATE report_jobs SET finished_at = NULL WHERE id = ?').bind('backing-off').run();
    const { batches, queue } = recordingQueue();
    expect(await resumeStalledJobs({ DB: env.DB, JOBS: queue }, NOW)).toBe(0);
    await env.DB.prepare('DELETE FROM report_jobs').run();
    await jobWith('finished', NOW - DAY, true);
    expect(await resumeStalledJobs({ DB: env.DB, JOBS: queue }, NOW)).toBe(0);
    expect(batches).toEqual([]);
  });
});

describe('history retention', () => {
  async function snapshot(id: string, marketplaceId: string, takenAt: number): Promise<void> {
    await env.DB.prepare(
      `INSERT INTO snapshots (id, workspace_id, store_id, marketplace_id, taken_at, fetched_at, content, evaluation) VALUES (?, 'ws-cron', 's0', ?, ?, ?, '{}', '{}')`,
    )
      .bind(id, marketplaceId, takenAt, takenAt)
      .run();
  }

  it('keeps 400 days by default, or what HISTORY_RETENTION_DAYS says', () => {
    expect(retentionDays({})).toBe(DEFAULT_RETENTION_DAYS);
    expect(DEFAULT_RETENTION_DAYS).toBe(400);
    expect(retentionDays({ HISTORY_RETENTION_DAYS: '30' })).toBe(30);
    expect(retentionDays({ HISTORY_RETENTION_DAYS: 'forever' })).toBe(400);
    expect(retentionDays({ HISTORY_RETENTION_DAYS: '0' })).toBe(400);
  });

  it('prunes snapshots and events older than the retention, but never the newest snapshot of a marketplace', async () => {
    await seedStores(1);
    await snapshot('old-us', 'US', NOW - 500 * DAY);
    await snapshot('new-us', 'US', NOW - DAY);
    await snapshot('only-ca', 'CA', NOW - 500 * DAY);
    await env.DB.batch([
      env.DB.prepare(`INSERT INTO events (workspace_id, store_id, key, kind, severity, payload, created_at) VALUES ('ws-cron', 's0', 'old', 'level_changed', 'info', '{}', ?)`).bind(NOW - 500 * DAY),
      env.DB.prepare(`INSERT INTO events (workspace_id, store_id, key, kind, severity, payload, created_at) VALUES ('ws-cron', 's0', 'new', 'level_changed', 'info', '{}', ?)`).bind(NOW - DAY),
    ]);
    expect(await pruneExpired({ DB: env.DB }, NOW)).toMatchObject({ snapshots: 1, events: 1 });
    const { results } = await env.DB.prepare('SELECT id FROM snapshots ORDER BY id').all<{ id: string }>();
    expect(results.map((r) => r.id)).toEqual(['new-us', 'only-ca']);
    const { results: left } = await env.DB.prepare('SELECT key FROM events').all<{ key: string }>();
    expect(left.map((r) => r.key)).toEqual(['new']);
  });

  it('honours a shorter retention setting', async () => {
    await seedStores(1);
    await snapshot('a', 'US', NOW - 40 * DAY);
    await snapshot('b', 'US', NOW - DAY);
    expect(await pruneExpired({ DB: env.DB }, NOW)).toMatchObject({ snapshots: 0 });
    expect(await pruneExpired({ DB: env.DB, HISTORY_RETENTION_DAYS: '30' }, NOW)).toMatchObject({ snapshots: 1 });
  });
});
