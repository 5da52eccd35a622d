/**
 * "refresh all (independent stand-in)": issue 15's whole-workspace figure against an Amazon that
 * the relay was not built against (test/standin/, written from Amazon's models and docs only). One
 * workspace, 500 stores, each its own seller with the US, Canada and Mexico marketplaces, added
 * through `POST /v1/stores`; the stand-in generates each report in 20-90 s (its default), applies
 * the published token buckets and fails 1 % of SP-API calls with 500/503. Measured: refresh-all ->
 * every marketplace has data; then, on the unchanged workspace, the overview's size, its latency
 * against `/healthz` (median of 9 each, taken in turns) and the delta sync (`?since=<cursor>`).
 */
import * as v from 'valibot';
import { OverviewResponse } from '../shared/api/overview.ts';
import { DEFAULT_GENERATION_MS } from '../test/standin/stand-in.ts';
import { REFRESH_ALL_MARKETPLACES, refreshAllUntilData, startRefreshAllStack } from '../test/standin/refresh-all.ts';
import { type BenchRow, type BenchSection, percentile } from './rows.ts';

const STORES = 500;
const LIMIT_MS = 15 * 60_000;
const BUDGET_MS = 10 * 60_000;
const POLL_MS = 2000;
const BODY_BUDGET_BYTES = 300 * 1024;
const LATENCY_BUDGET_RATIO = 10;
const SAMPLES = 9;

interface Timed {
  ms: number;
  bytes: number;
  text: string;
}

async function timed(url: string, headers: Record<string, string>): Promise<{ ms: number; text: string }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
  return { ms, text };
}

/**
 * Medians of `SAMPLES` requests to each URL, one after another and taken in turns (after one of
 * each to warm up), so a machine shared with other work slows both alike and the ratio holds.
 */
async function interleavedMedians(requests: ReadonlyArray<{ url: string; headers?: Record<string, string> }>): Promise<Timed[]> {
  for (const r of requests) await timed(r.url, r.headers ?? {});
  const samples = requests.map(() => ({ times: [] as number[], text: '' }));
  for (let i = 0; i < SAMPLES; i++) {
    for (const [k, r] of requests.entries()) {
      const { ms, text } = await timed(r.url, r.headers ?? {});
      samples[k]!.times.push(ms);
      samples[k]!.text = text;
    }
  }
  return samples.map((s) => ({ ms: percentile(s.times, 50), bytes: Buffer.byteLength(s.text), text: s.text }));
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

async function run(): Promise<BenchRow[]> {
  const added = performance.now();
  const standIn = await startRefreshAllStack({ stores: STORES, generationMs: DEFAULT_GENERATION_MS, faultRate: 0.01, seed: 500 });
  try {
    console.info(`bench: ${STORES} stores added in ${((performance.now() - added) / 1000).toFixed(0)} s; refresh all ...`);
    const result = await refreshAllUntilData(standIn, POLL_MS, LIMIT_MS, { log: (line) => console.info(`bench:   ${line}`) });
    const { stats } = standIn.standIn;
    const amazon = `stand-in: ${stats.reportsCreated} reports created, ${sum(stats.calls)} SP-API calls, ${sum(stats.throttled)} answered 429 (${JSON.stringify(stats.throttled)}), ${sum(stats.faults)} answered 500/503, ${stats.documentsDownloaded} documents downloaded`;
    const { relayUrl, ownerToken } = standIn.stack;
    const auth = { authorization: `Bearer ${ownerToken}` };
    // The cursor of the workspace as the refresh left it; every marketplace has data by now.
    const { cursor } = v.parse(OverviewResponse, await standIn.stack.owner.call('GET', '/v1/overview'));
    const [healthz, full, unchanged] = await interleavedMedians([
      { url: `${relayUrl}/healthz` },
      { url: `${relayUrl}/v1/overview`, headers: auth },
      { url: `${relayUrl}/v1/overview?since=${cursor ?? ''}`, headers: auth },
    ]);
    if (!healthz || !full || !unchanged) throw new Error('a timing is missing');
    const parsed = v.parse(OverviewResponse, JSON.parse(full.text));
    const listed = (JSON.parse(unchanged.text) as { stores: unknown[] }).stores.length;
    const seq = `fetch from Node, ${SAMPLES} requests each to /healthz, the overview and the delta, one after another in turns after one of each to warm up, median; local workerd and local D1, right after the refresh`;
    const shape = `${STORES} stores x ${REFRESH_ALL_MARKETPLACES.length} marketplaces`;
    return [
      {
        name: `refresh all, ${shape} (independent stand-in): press -> every marketplace has data`,
        value: result.elapsedMs / 1000,
        unit: 's',
        budget: `<= ${BUDGET_MS / 60_000} min`,
        met: result.withData === result.total && result.elapsedMs <= BUDGET_MS,
        note: `${result.withData} of ${result.total} stores with data (limit ${LIMIT_MS / 60_000} min); report generation ${DEFAULT_GENERATION_MS[0] / 1000}-${DEFAULT_GENERATION_MS[1] / 1000} s each; overview polled by cursor every ${POLL_MS / 1000} s (${result.overviewCalls} calls); ${amazon}`,
      },
      {
        name: `GET /v1/overview after refresh all, ${shape} (independent stand-in): body before compression`,
        value: full.bytes / 1024,
        unit: 'KB',
        budget: `<= ${BODY_BUDGET_BYTES / 1024} KB`,
        met: full.bytes <= BODY_BUDGET_BYTES,
        note: `${full.bytes} bytes, ${parsed.stores.length} stores; the stand-in's mix: every tenth seller breached in the US, every tenth near its target`,
      },
      {
        name: `GET /v1/overview after refresh all, ${STORES} stores (independent stand-in): latency, median of ${SAMPLES}`,
        value: full.ms,
        unit: 'ms',
        baseline: { name: 'GET /healthz', value: healthz.ms },
        budget: `<= ${LATENCY_BUDGET_RATIO}x GET /healthz`,
        met: full.ms <= LATENCY_BUDGET_RATIO * healthz.ms,
        note: seq,
      },
      {
        name: `GET /v1/overview?since=<cursor> after refresh all, unchanged workspace (independent stand-in): stores listed`,
        value: listed,
        unit: 'stores',
        budget: '0',
        met: listed === 0,
        note: `latency median ${unchanged.ms.toFixed(1)} ms (GET /healthz ${healthz.ms.toFixed(1)} ms), ${unchanged.bytes} bytes; ${seq}`,
      },
    ];
  } finally {
    await standIn.close();
  }
}

export const refreshAllStandIn: BenchSection = { name: 'refresh all (independent stand-in)', run };
