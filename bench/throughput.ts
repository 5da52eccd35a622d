/**
 * "throughput" (issue 7: stores x marketplaces processed per minute through the queue consumer on
 * this machine, and how it grows from 10 to 5,000 stores). The production path: a cron tick
 * schedules every due store (relay/pipeline/schedule.ts), and the queue consumer runs each store's
 * report job to the end. At each point a new batch of stores is added (the workspace grows to
 * 10 + 100 + 300 + 1,000 + 5,000), only they are due, ticks schedule them (1,000 a tick at most), and the figure is
 * (store, marketplace) reports read per minute from the tick to the last store's
 * `lastCheckedAt` - the time the consumer itself wrote when that store's job was done. The stores
 * fill workspaces up to their cap (LIMITS.storesPerWorkspace), a new workspace after each: 5,000
 * stores on one relay are several teams, as they would be.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchRow, type BenchSection } from './rows.ts';
import { LIMITS } from '../shared/api/limits.ts';
import { type LocalStack, startLocalStack } from '../scripts/local-stack.ts';
import type { RelayApi } from '../scripts/relay-api.ts';
import { BENCH_MARKETPLACES, addStores } from './support/stores.ts';
import { MAX_STORES_PER_TICK } from '../relay/pipeline/schedule.ts';

/** Short, so the figure is about the relay, not about waiting on Amazon. */
const GENERATION_MS = 500;
const POINTS = [10, 100, 300, 1000, 5000];
/** Per point at most: a point still running then is measured over what finished by then. */
const POINT_LIMIT_MS = 100_000;
/** 5,000 stores are 10,000 reports: at this machine's ~3,000 a minute they need more than the usual limit. */
const limitFor = (stores: number) => Math.max(POINT_LIMIT_MS, stores * 60);
/** The cron's cadence here: a tick schedules at most MAX_STORES_PER_TICK, so 5,000 due stores take several. */
const TICK_EVERY_MS = 5000;
const CHECK_EVERY_MS = 1000;

interface Point {
  stores: number;
  done: number;
  /** From the tick to the last store done (or to the limit). */
  ms: number;
}

/** The workspaces stores are added to, each with how many it holds. */
interface Workspaces {
  list: Array<{ owner: RelayApi; stores: number }>;
}

/** Adds `count` stores, filling the newest workspace to its cap and opening another when full. */
async function addAcross(stack: LocalStack, workspaces: Workspaces, count: number, first: number): Promise<{ ids: Set<string>; owners: Set<RelayApi> }> {
  const ids = new Set<string>();
  const owners = new Set<RelayApi>();
  let added = 0;
  while (added < count) {
    let current = workspaces.list.at(-1)!;
    if (current.stores >= LIMITS.storesPerWorkspace) {
      current = { owner: await stack.addWorkspace(`Throughput ${workspaces.list.length + 1}`), stores: 0 };
      workspaces.list.push(current);
    }
    const n = Math.min(count - added, LIMITS.storesPerWorkspace - current.stores);
    for (const s of await addStores(stack.sandbox, current.owner, first + added, n, 'TP')) ids.add(s.storeId);
    current.stores += n;
    owners.add(current.owner);
    added += n;
  }
  return { ids, owners };
}

async function lastChecked(owners: ReadonlySet<RelayApi>, ids: ReadonlySet<string>, since: number): Promise<number[]> {
  const out: number[] = [];
  for (const owner of owners) {
    const { stores } = (await owner.call('GET', '/v1/stores')) as { stores: Array<{ id: string; lastCheckedAt: number | null }> };
    for (const s of stores) if (ids.has(s.id) && s.lastCheckedAt !== null && s.lastCheckedAt >= since) out.push(s.lastCheckedAt);
  }
  return out;
}

async function measurePoint(stack: LocalStack, workspaces: Workspaces, count: number, first: number): Promise<Point> {
  const { ids, owners } = await addAcross(stack, workspaces, count, first);
  const documentsBefore = stack.documentsServedAt.length;
  const ticked = Date.now();
  await stack.tick();
  let lastTick = Date.now();
  // Watched from the sandbox's side while it runs (free: same process); listing the stores from
  // the relay only at the end, so the watching does not take the consumer's CPU. More ticks follow
  // while stores are left: one schedules at most 1,000 (relay/pipeline/schedule.ts).
  const limit = limitFor(count);
  while (Date.now() - ticked < limit && stack.documentsServedAt.length - documentsBefore < count * BENCH_MARKETPLACES.length) {
    await sleep(100);
    if (count > MAX_STORES_PER_TICK && Date.now() - lastTick >= TICK_EVERY_MS) {
      await stack.tick();
      lastTick = Date.now();
    }
  }
  let finished = await lastChecked(owners, ids, ticked);
  // The last documents are in; their jobs save and finish a step later.
  while (finished.length < count && Date.now() - ticked < limit) {
    await sleep(CHECK_EVERY_MS);
    finished = await lastChecked(owners, ids, ticked);
  }
  const ms = finished.length === count ? Math.max(...finished) - ticked : Date.now() - ticked;
  return { stores: count, done: finished.length, ms };
}

async function run(): Promise<BenchRow[]> {
  const stack = await startLocalStack({ reportProcessingMs: GENERATION_MS });
  const points: Point[] = [];
  const workspaces: Workspaces = { list: [{ owner: stack.owner, stores: 0 }] };
  try {
    let first = 0;
    for (const count of POINTS) {
      points.push(await measurePoint(stack, workspaces, count, first));
      first += count;
    }
  } finally {
    await stack.close();
  }
  const perMinute = (p: Point) => (p.done * BENCH_MARKETPLACES.length * 60_000) / p.ms;
  const smallest = points[0]!;
  return points.map((p) => ({
    name: `throughput: ${p.stores} due stores x ${BENCH_MARKETPLACES.length} marketplaces, reports read per minute`,
    value: perMinute(p),
    unit: '/min',
    ...(p === smallest ? {} : { baseline: { name: `${smallest.stores} stores`, value: perMinute(smallest) } }),
    note:
      `${p.done} of ${p.stores} stores (in workspaces of at most ${LIMITS.storesPerWorkspace}) done in ${(p.ms / 1000).toFixed(1)} s after the first cron tick (one every 5 s while stores are left)` +
      (p.done < p.stores ? ` (stopped at the ${limitFor(p.stores) / 1000} s limit)` : '') +
      `; report generation ${GENERATION_MS} ms, a scheduled job's first status check after 5 s (shared/report-job.ts pollDelaySeconds), ` +
      'local workerd queue consumer with max_batch_size 1 as in wrangler.toml.',
  }));
}

export const throughput: BenchSection = { name: 'throughput', run };
