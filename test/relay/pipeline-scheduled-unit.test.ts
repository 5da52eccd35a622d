import { createScheduledController, env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../relay/env.ts';
import type { JobMessage } from '../../relay/pipeline/messages.ts';
import { handleScheduled, scheduleDuePolls } from '../../relay/pipeline/schedule.ts';

const NOW = Date.UTC(2026, 10, 23, 3, 0, 0);

function recordingQueue() {
  const batches: JobMessage[][] = [];
  const queue = {
    async sendBatch(messages: Iterable<{ body: JobMessage }>) {
      batches.push([...messages].map((m) => m.body));
    },
    async send(body: JobMessage) {
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

describe('the cron tick only schedules', () => {
  beforeEach(async () => {
    await env.DB.batch(['stores', 'workspaces'].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
  });

  it('sends 1,000 due stores as 10 queue batches of 100 with one D1 statement', async () => {
    await seedStores(1000);
    const { batches, queue } = recordingQueue();
    expect(await scheduleDuePolls({ DB: env.DB, JOBS: queue }, NOW)).toBe(1000);
    expect(batches.map((b) => b.length)).toEqual(Array(10).fill(100));
    expect(new Set(batches.flat().map((m) => (m.kind === 'poll' ? m.storeId : '')))).toHaveLength(1000);
  });

  it('skips paused stores, stores whose authorization is lost and stores not yet due', async () => {
    await seedStores(4, (i) => [{}, { paused: 1 }, { auth: 'lost' }, { nextPollAt: NOW + 60_000 }][i]!);
    const { batches, queue } = recordingQueue();
    await scheduleDuePolls({ DB: env.DB, JOBS: queue }, NOW);
    expect(batches.flat()).toEqual([{ kind: 'poll', storeId: 's0', workspaceId: 'ws-cron' }]);
  });

  it('moves the next poll by the store interval, so an overlapping tick schedules nothing twice', async () => {
    await seedStores(3);
    const { batches, queue } = recordingQueue();
    await scheduleDuePolls({ DB: env.DB, JOBS: queue }, NOW);
    await scheduleDuePolls({ DB: env.DB, JOBS: queue }, NOW + 1000);
    expect(batches.flat()).toHaveLength(3);
    const row = await env.DB.prepare('SELECT next_poll_at FROM stores WHERE id = ?').bind('s0').first<{ next_poll_at: number }>();
    expect(row?.next_poll_at).toBe(NOW + 60 * 60_000);
  });

  it('runs from the scheduled handler with a Cron Trigger controller', async () => {
    await seedStores(2);
    const { batches, queue } = recordingQueue();
    const controller = createScheduledController({ scheduledTime: new Date(NOW), cron: '*/5 * * * *' });
    await handleScheduled(controller, { ...env, JOBS: queue } as Env);
    expect(batches.flat().filter((m) => m.kind === 'poll')).toHaveLength(2);
  });
});
