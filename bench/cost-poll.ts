/**
 * "cost per poll": the relay's CPU and D1 rows written for one store poll (three marketplaces),
 * once with a report that says what the last one said and once with a report that changed.
 * Baseline in the same run: the bare cost of gunzip + JSON.parse of the documents that poll
 * downloaded, with the same stream primitives the relay uses - the least any poll must spend.
 */
import { type Invocation, MARKETPLACES, pollWorld } from './cost-support/poll-run.ts';
import { localD1 } from './cost-support/local-d1.ts';
import { cpuMs } from './cost-support/tape.ts';
import { type BenchRow, type BenchSection, percentile } from './rows.ts';

const REPLAYS = 9;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 3, 0, 0);
/**
 * Workers Free (docs/architecture.md#performance-budgets,
 * docs/operations.md#cloudflare-limits-that-shape-the-relay).
 */
const CPU_BUDGET_MS = 10;
const SUBREQUEST_BUDGET = 50;

async function gunzipParse(bytes: Uint8Array): Promise<unknown> {
  const stream = new Response(bytes.slice()).body!.pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(new TextDecoder().decode(await new Response(stream).arrayBuffer())) as unknown;
}

/** The gzipped documents a poll downloaded (gzip magic 1f 8b), straight from its tapes. */
function documents(invocations: readonly Invocation[]): Uint8Array[] {
  return invocations.flatMap((inv) => inv.tape.fetches.filter((f) => f.body[0] === 0x1f && f.body[1] === 0x8b).map((f) => f.body));
}

interface PollCost {
  /** Median over replays of the whole poll's CPU, and of its busiest invocation. */
  totalMs: number;
  maxInvocationMs: number;
  baselineMs: number;
  invocations: number;
  maxSubrequests: number;
  rowsWritten: number;
  byTable: Record<string, number>;
  documentBytes: number;
}

async function measure(world: Awaited<ReturnType<typeof pollWorld>>, invocations: Invocation[]): Promise<PollCost> {
  await world.replay(invocations); // a warm isolate has compiled this code already
  const totals: number[] = [];
  const maxima: number[] = [];
  for (let i = 0; i < REPLAYS; i++) {
    const cpu = await world.replay(invocations);
    totals.push(cpu.reduce((a, b) => a + b, 0));
    maxima.push(Math.max(...cpu));
  }
  const docs = documents(invocations);
  const decode = async () => {
    for (const d of docs) await gunzipParse(d);
  };
  await decode();
  const baselines: number[] = [];
  for (let i = 0; i < REPLAYS; i++) baselines.push(await cpuMs(decode));
  const byTable: Record<string, number> = {};
  for (const inv of invocations) for (const [t, n] of Object.entries(inv.meter.rowsWrittenByTable)) byTable[t] = (byTable[t] ?? 0) + n;
  return {
    totalMs: percentile(totals, 50),
    maxInvocationMs: percentile(maxima, 50),
    baselineMs: percentile(baselines, 50),
    invocations: invocations.length,
    maxSubrequests: Math.max(...invocations.map((i) => i.meter.subrequests)),
    rowsWritten: invocations.reduce((a, i) => a + i.meter.rowsWritten, 0),
    byTable,
    documentBytes: docs.reduce((a, d) => a + d.length, 0),
  };
}

const tables = (t: Record<string, number>) =>
  Object.entries(t)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

async function run(): Promise<BenchRow[]> {
  const d1 = await localD1();
  try {
    const world = await pollWorld(d1.db, T0);
    await world.record(T0); // the first poll: the store's first snapshots (and its first access token)
    const unchanged = await measure(world, await world.record(T0 + HOUR));
    // One more order defect in the US: its ODR moves, so its snapshot and an event are new.
    world.figures[MARKETPLACES.US] = { ...world.figures[MARKETPLACES.US], odrMfn: { defects: 6, orders: 400 } };
    const changed = await measure(world, await world.record(T0 + 2 * HOUR));
    const method =
      `one North America store in 3 marketplaces, one report each, DONE at the 3rd getReport; the changed report moves the US ODR to breach (1 new snapshot, 1 event, alerting on). ` +
      `Node ${process.version}, median of ${REPLAYS} replays of the relay's queue handler from a tape of real local D1 and scripted-Amazon answers (bench/cost-support/tape.ts); D1's SQL time is D1's, not the Worker's`;
    const cpuRow = (what: string, c: PollCost): BenchRow => ({
      name: `poll, ${what} report: relay CPU, whole poll (${c.invocations} invocations)`,
      value: c.totalMs,
      unit: 'ms',
      baseline: { name: `gunzip + JSON.parse of its ${c.documentBytes} B of documents`, value: c.baselineMs },
      budget: `< ${CPU_BUDGET_MS} ms per invocation (busiest ${c.maxInvocationMs.toFixed(2)} ms)`,
      met: c.maxInvocationMs < CPU_BUDGET_MS,
      note: method,
    });
    return [
      cpuRow('unchanged', unchanged),
      cpuRow('changed', changed),
      {
        name: 'poll, unchanged report: D1 rows written (snapshots + events)',
        value: (unchanged.byTable.snapshots ?? 0) + (unchanged.byTable.events ?? 0),
        unit: 'rows',
        budget: '0 when nothing changed',
        met: (unchanged.byTable.snapshots ?? 0) + (unchanged.byTable.events ?? 0) === 0,
        note: `D1 meta.rows_written summed over the poll (indexes included): all tables ${unchanged.rowsWritten} (${tables(unchanged.byTable)}) - the job's own bookkeeping`,
      },
      {
        name: 'poll, changed report: D1 rows written, all tables',
        value: changed.rowsWritten,
        unit: 'rows',
        baseline: { name: 'unchanged report', value: unchanged.rowsWritten },
        note: `D1 meta.rows_written summed over the poll (indexes included): ${tables(changed.byTable)}`,
      },
      {
        name: 'poll: subrequests, busiest invocation',
        value: Math.max(unchanged.maxSubrequests, changed.maxSubrequests),
        unit: 'subrequests',
        budget: `<= ${SUBREQUEST_BUDGET} per invocation`,
        met: Math.max(unchanged.maxSubrequests, changed.maxSubrequests) <= SUBREQUEST_BUDGET,
        note: 'D1 calls and batches, fetches (LWA, SP-API, document), queue sends, counted per invocation',
      },
    ];
  } finally {
    await d1.close();
  }
}

export const costPerPoll: BenchSection = { name: 'cost per poll', run };
