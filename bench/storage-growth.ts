/**
 * "storage growth" (issue 15): D1 rows and bytes one store adds per day, measured by running the
 * relay's own queue handler (bench/cost-support/poll-run.ts) for simulated days of hourly polls of
 * one store in three marketplaces against real local D1, and read from D1's own `meta.size_after`
 * (the database file's size, 4 KiB pages). Two kinds of day: Amazon's figures move once a day
 * (the report's windows roll daily: the usual day) and on every poll (the worst). Then the
 * projection for 500 and 5,000 stores over a year with the history retention (relay/retention.ts)
 * against D1's database size limit: 10 GB on Workers Paid, 500 MB on Workers Free
 * (developers.cloudflare.com/d1/platform/limits, "Maximum database size").
 */
import { DEFAULT_RETENTION_DAYS, RETENTION } from '../relay/retention.ts';

const JOB_RETENTION_DAYS = RETENTION.finishedJobs / 86_400_000;
import { MARKETPLACES, type PollWorld, pollWorld } from './cost-support/poll-run.ts';
import { localD1 } from './cost-support/local-d1.ts';
import type { BenchRow, BenchSection } from './rows.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 23, 0, 0, 0);
const DAYS = 3;
const D1_PAID_BYTES = 10e9;
const D1_FREE_BYTES = 500e6;
/** Room kept free below the limit: indexes grow in steps, and VACUUM is not ours to run. */
const HEADROOM = 0.8;
const TABLES = ['snapshots', 'events', 'report_jobs', 'alerts', 'alert_fanouts', 'deliveries', 'access_tokens'];

async function sizeOf(db: D1Database): Promise<number> {
  const r = await db.prepare("UPDATE workspaces SET name = name WHERE id = 'ws-bench'").run();
  return Number((r.meta as { size_after?: number }).size_after ?? 0);
}

async function rowsOf(db: D1Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    try {
      out[t] = (await db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<{ n: number }>())?.n ?? 0;
    } catch {
      // A table another branch names differently: not counted, not fatal.
    }
  }
  return out;
}

/** Moves every marketplace's figures a little, as a new day's report does. */
function newDay(world: PollWorld, n: number): void {
  for (const id of Object.values(MARKETPLACES)) {
    const orders = 400 + n * 13;
    world.figures[id] = { odrMfn: { defects: 1 + (n % 3), orders }, late: { late: 3 + (n % 4), orders } };
  }
}

interface DayCost {
  bytes: number;
  rows: Record<string, number>;
}

async function days(world: PollWorld, db: D1Database, from: number, count: number, changesPerDay: 0 | 1 | 24, start: number): Promise<DayCost> {
  const size0 = await sizeOf(db);
  const rows0 = await rowsOf(db);
  let n = start;
  for (let d = 0; d < count; d++) {
    for (let h = 0; h < 24; h++) {
      if (changesPerDay === 24 || (changesPerDay === 1 && h === 0)) newDay(world, ++n);
      await world.record(from + d * DAY + h * HOUR);
    }
  }
  const rows1 = await rowsOf(db);
  const rows: Record<string, number> = {};
  for (const t of Object.keys(rows1)) rows[t] = ((rows1[t] ?? 0) - (rows0[t] ?? 0)) / count;
  return { bytes: ((await sizeOf(db)) - size0) / count, rows };
}

const mb = (bytes: number) => bytes / 1e6;
const fmtRows = (rows: Record<string, number>) =>
  Object.entries(rows)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${t} ${n.toFixed(1)}`)
    .join(', ');

async function run(): Promise<BenchRow[]> {
  const d1 = await localD1();
  try {
    const world = await pollWorld(d1.db, T0);
    await world.record(T0 - HOUR); // the store's first snapshots and access token: not growth
    // A day when nothing moves costs only the job rows (kept JOB_RETENTION_DAYS); what a moving
    // day adds on top is history (snapshots, events, alerts: kept the history retention).
    const quiet = await days(world, d1.db, T0, DAYS, 0, 0);
    const usual = await days(world, d1.db, T0 + DAYS * DAY, DAYS, 1, 0);
    const worst = await days(world, d1.db, T0 + 2 * DAYS * DAY, 1, 24, 100);
    const history = (c: DayCost) => Math.max(0, c.bytes - quiet.bytes);
    /** Steady state a year in: a year (or the retention) of history, a week of jobs. */
    const yearBytes = (stores: number, c: DayCost, retentionDays = DEFAULT_RETENTION_DAYS) => stores * (history(c) * Math.min(365, retentionDays) + quiet.bytes * JOB_RETENTION_DAYS);
    const fits = (stores: number, c: DayCost, limit: number) => Math.max(0, Math.floor((limit * HEADROOM - stores * quiet.bytes * JOB_RETENTION_DAYS) / (stores * history(c))));
    const how = `one store in 3 marketplaces polled hourly through the relay's queue handler on local D1 (meta.size_after, 4 KiB pages), ${DAYS} simulated days each; job rows kept ${JOB_RETENTION_DAYS} days, history ${DEFAULT_RETENTION_DAYS} days by default`;
    const rows: BenchRow[] = [
      { name: 'storage: D1 bytes per store per day, nothing moves (job rows only)', value: quiet.bytes / 1024, unit: 'KiB', note: `rows per day: ${fmtRows(quiet.rows)}; ${how}` },
      {
        name: 'storage: D1 bytes per store per day, figures move daily',
        value: usual.bytes / 1024,
        unit: 'KiB',
        baseline: { name: 'nothing moves', value: quiet.bytes / 1024 },
        note: `rows per day: ${fmtRows(usual.rows)}; history (kept the retention) ${(history(usual) / 1024).toFixed(1)} KiB a day`,
      },
      {
        name: 'storage: D1 bytes per store per day, figures move every poll (worst)',
        value: worst.bytes / 1024,
        unit: 'KiB',
        baseline: { name: 'figures move daily', value: usual.bytes / 1024 },
        note: `rows per day: ${fmtRows(worst.rows)}`,
      },
    ];
    for (const stores of [500, 5000]) {
      const year = yearBytes(stores, usual);
      rows.push({
        name: `storage: ${stores} stores a year in, figures move daily, ${DEFAULT_RETENTION_DAYS}-day retention`,
        value: mb(year),
        unit: 'MB',
        budget: `<= ${mb(D1_PAID_BYTES * HEADROOM)} MB (80 % of D1's 10 GB)`,
        met: year <= D1_PAID_BYTES * HEADROOM,
        note: `HISTORY_RETENTION_DAYS that keeps it under 80 % of 10 GB (Workers Paid): ${fits(stores, usual, D1_PAID_BYTES)}; of 500 MB (Free): ${fits(stores, usual, D1_FREE_BYTES)}; if every poll moved the figures: ${fits(stores, worst, D1_PAID_BYTES)} on Paid`,
      });
    }
    return rows;
  } finally {
    await d1.close();
  }
}

export const storageGrowth: BenchSection = { name: 'storage growth', run };
