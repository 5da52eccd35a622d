/**
 * The pipeline's fault suite (issue 7): seeded, bounded, randomized runs. Each run polls one store
 * a few times while Amazon misbehaves (429, 5xx, timeouts, FATAL, CANCELLED, malformed documents,
 * expired document URLs, invalid_grant) and the consumer misbehaves too (a message delivered twice,
 * a crash after the Amazon call but before the save, a crash after the save that loses the next
 * queue message). After each run the invariants must hold:
 *   - no job is stuck: every job ends done or failed;
 *   - no snapshot is duplicated: consecutive snapshots of a marketplace always differ;
 *   - no change is lost: the last snapshot is the last report Amazon served successfully;
 *   - events are exactly the diff of consecutive snapshots, and each reached alerting once.
 */
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { diff } from '../../../shared/diff.ts';
import type { MarketplaceEvaluation, MarketplaceSnapshot } from '../../../shared/types.ts';
import { resolveThresholds } from '../../../shared/thresholds.ts';
import { advanceJob, pollStore } from '../../../relay/pipeline/consumer.ts';
import { STALLED_AFTER_MS, resumeStalledJobs } from '../../../relay/pipeline/schedule.ts';
import { type Fault, type Operation } from './scripted-amazon.ts';
import { CA, US, pipelineWorld } from './pipeline-world.ts';


/** The fault suite's seed: every run is seeded with SEED + its number. */
export const SEED = 20261123;

/** mulberry32: small, seeded, good enough to pick faults. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The Amazon faults a run draws from (also the WeChat fault suite's, fault-wechat-suite.ts). */
export const FAULTS: ReadonlyArray<[Operation, Fault]> = [
  ['createReport', 429],
  ['createReport', 500],
  ['createReport', 'timeout'],
  ['getReport', 429],
  ['getReport', 500],
  ['getReport', 'FATAL'],
  ['getReport', 'CANCELLED'],
  ['getReportDocument', 'malformed'],
  ['getReportDocument', 'expired'],
  ['getReportDocument', 429],
  ['download', 500],
  ['download', 'timeout'],
  ['lwa', 500],
  ['lwa', 'invalid_grant'],
];

export interface Tally {
  faults: number;
  replays: number;
  crashes: number;
  lostMessages: number;
}

export async function oneRun(run: number, random: () => number, tally: Tally): Promise<void> {
  const storeId = `fs-${run}`;
  const world = await pipelineWorld(storeId, `fw-${run}`);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let crashNextSave = false;
  const baseNewId = world.deps.newId;
  world.deps.newId = (prefix) => {
    // The step token is made after the Amazon call and before the save: a crash here loses the
    // step's work but not its message, which the queue redelivers.
    if (prefix === 'step' && crashNextSave) {
      crashNextSave = false;
      throw new Error('consumer crashed before saving');
    }
    return baseNewId(prefix);
  };

  const polls = 2 + Math.floor(random() * 3);
  for (let p = 0; p < polls; p++) {
    world.clock.now += 3_600_000;
    for (const id of [US, CA]) {
      if (random() < 0.6) world.figures[id] = { odrMfn: { defects: Math.floor(random() * 5), orders: 250 }, late: { late: Math.floor(random() * 12), orders: 300 } };
    }
    for (let f = Math.floor(random() * 3); f > 0; f--) {
      const [op, fault] = pick(FAULTS);
      world.amazon.fail(op, fault);
      tally.faults++;
    }
    let jobId: string | null;
    try {
      jobId = await pollStore(world.env, world.deps, world.ctx, storeId, 'schedule');
    } catch {
      // The consumer died on the poll message: the queue delivers it again, which joins the job.
      jobId = await pollStore(world.env, world.deps, world.ctx, storeId, 'schedule');
    }
    if (!jobId) break; // authorization lost: the store is no longer polled
    for (let i = 0; i < 200; i++) {
      if (world.sent.length === 0) {
        const stalled = await env.DB.prepare('SELECT 1 FROM report_jobs WHERE id = ? AND finished_at IS NULL').bind(jobId).first();
        if (!stalled) break;
        world.clock.now += STALLED_AFTER_MS + 1000; // the cron finds the stalled job
        await resumeStalledJobs(world.env, world.clock.now);
        continue;
      }
      const message = world.sent.shift()!;
      world.clock.now += message.delaySeconds * 1000;
      if (message.body.kind !== 'step') continue;
      const roll = random();
      if (roll < 0.1) {
        crashNextSave = true;
        tally.crashes++;
      }
      const before = world.sent.length;
      try {
        await advanceJob(world.env, world.deps, world.ctx, message.body.jobId);
      } catch {
        world.sent.unshift(message); // redelivered by the queue
        continue;
      }
      if (roll >= 0.1 && roll < 0.2) {
        await advanceJob(world.env, world.deps, world.ctx, message.body.jobId); // delivered twice
        tally.replays++;
      } else if (roll >= 0.2 && roll < 0.25 && world.sent.length > before) {
        world.sent.splice(before); // crashed after the save, before the next message was sent
        tally.lostMessages++;
      }
    }
  }
  await checkInvariants(storeId, world.fannedOut.map((e) => e.key));
}

async function checkInvariants(storeId: string, fannedOutKeys: string[]): Promise<void> {
  const stuck = await env.DB.prepare('SELECT COUNT(*) AS n FROM report_jobs WHERE store_id = ? AND finished_at IS NULL').bind(storeId).first<{ n: number }>();
  expect(stuck?.n, `${storeId}: a job is stuck`).toBe(0);

  const thresholds = resolveThresholds({}, storeId, US);
  const expectedKeys: string[] = [];
  for (const marketplaceId of [US, CA]) {
    const { results } = await env.DB.prepare('SELECT content, evaluation, id FROM snapshots WHERE store_id = ? AND marketplace_id = ? ORDER BY taken_at').bind(storeId, marketplaceId).all<{ content: string; evaluation: string }>();
    let previous: MarketplaceEvaluation | null = null;
    let previousContent: string | null = null;
    for (const row of results) {
      expect(row.content, `${storeId}: a snapshot repeats the previous one`).not.toBe(previousContent);
      const evaluation = JSON.parse(row.evaluation) as MarketplaceEvaluation;
      const snapshot = JSON.parse(row.content) as MarketplaceSnapshot;
      expect(snapshot.marketplaceId).toBe(marketplaceId);
      expectedKeys.push(...diff(previous, evaluation, { snapshotKey: 'k', thresholds }).map((e) => `${e.kind}|${e.metric}|${e.from}>${e.to}`));
      previous = evaluation;
      previousContent = row.content;
    }
  }
  const { results: events } = await env.DB.prepare("SELECT key, kind, payload FROM events WHERE store_id = ? AND kind NOT IN ('auth_lost', 'polling_failing')").bind(storeId).all<{ key: string; payload: string }>();
  const stored = events.map((e) => {
    const p = JSON.parse(e.payload) as { kind: string; metric: string | null; from: string | null; to: string | null };
    return `${p.kind}|${p.metric}|${p.from}>${p.to}`;
  });
  expect(stored.sort(), `${storeId}: events are not the diff of its snapshots`).toEqual(expectedKeys.sort());
  const { results: allEvents } = await env.DB.prepare('SELECT key FROM events WHERE store_id = ?').bind(storeId).all<{ key: string }>();
  expect([...fannedOutKeys].sort(), `${storeId}: alerting did not get each event exactly once`).toEqual(allEvents.map((e) => e.key).sort());
}


/** Runs `count` runs starting at `first`, each seeded on its own so files can split the work. */
export async function faultRuns(first: number, count: number): Promise<Tally> {
  const tally: Tally = { faults: 0, replays: 0, crashes: 0, lostMessages: 0 };
  for (let run = first; run < first + count; run++) await oneRun(run, prng(SEED + run), tally);
  console.info(`fault suite runs ${first}-${first + count - 1}: ${tally.faults} Amazon faults, ${tally.replays} duplicate deliveries, ${tally.crashes} crashes before save, ${tally.lostMessages} lost queue messages`);
  return tally;
}
