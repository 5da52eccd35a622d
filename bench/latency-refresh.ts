/**
 * "refresh latency" (docs/architecture.md#performance-budgets: press -> new numbers, minus the
 * simulated report generation time, under 2 s at p95). One store per sample, so the relay's
 * two-minute refresh cooldown never answers with an old job, each its own sandbox seller so no
 * sample eats another's createReport burst. The baseline is the `amazon-sp-api` package's own
 * `downloadReport` (createReport -> getReport every `interval` -> getReportDocument -> download) at
 * its default interval, against the same sandbox with the same generation time.
 */
import { createRequire } from 'node:module';
import { SellingPartner } from 'amazon-sp-api';
import { jobPollDelay } from '../extension/lib/derive/job-progress.ts';
import { createSandbox } from '../test/sandbox/amazon.ts';
import { type BenchRow, type BenchSection, percentile } from './rows.ts';
import { JOB_POLL_MS, waitForJobDone } from './support/jobs.ts';
import { startLocalStack } from '../scripts/local-stack.ts';
import { mapLimit } from '../scripts/relay-api.ts';
import { spApiFrontDoor } from './support/sp-api-front-door.ts';
import { BENCH_MARKETPLACES, addStores } from './support/stores.ts';

/** As `npm start` has it (scripts/start.ts): a report is ready 3 s after createReport. */
const GENERATION_MS = 3000;
const SAMPLES = 20;
/** The first refresh pays for workerd compiling the Worker's code paths; it is not a sample. */
const WARM_UP = 1;
const BUDGET_MS = 2000;
/** What the package's README and code use when `interval` is not given (SellingPartner.js `_getReport`). */
const PACKAGE_DEFAULT_INTERVAL_MS = 10_000;
const JOB_LIMIT_MS = 60_000;
const PACKAGE_VERSION = (createRequire(import.meta.url)('amazon-sp-api/package.json') as { version: string }).version;

/**
 * When the popup would show `done` for a job that ended `doneMs` after the press: at its first
 * poll at or after that moment (extension/lib/derive/job-progress.ts `jobPollDelay`).
 */
export function popupSeesDoneAt(doneMs: number): number {
  let at = 0;
  for (let attempt = 0; attempt < 400; attempt++) {
    at += jobPollDelay(attempt);
    if (at >= doneMs) return at;
  }
  return at;
}

async function relaySamples(): Promise<number[]> {
  const stack = await startLocalStack({ reportProcessingMs: GENERATION_MS });
  try {
    const stores = await addStores(stack.sandbox, stack.owner, 0, WARM_UP + SAMPLES, 'RL');
    const elapsed: number[] = [];
    // One at a time: each sample has the relay to itself, as one person pressing the button would.
    for (const store of stores) {
      const pressed = performance.now();
      const { jobId } = await stack.owner.call('POST', `/v1/stores/${store.storeId}/refresh`);
      const done = await waitForJobDone(stack.owner, String(jobId), JOB_LIMIT_MS);
      elapsed.push(done - pressed);
    }
    return elapsed.slice(WARM_UP);
  } finally {
    await stack.close();
  }
}

async function packageSamples(): Promise<number[]> {
  // The package talks to the sandbox alone: no relay is running while it is measured.
  const sandbox = createSandbox({ now: Date.now, reportProcessingMs: GENERATION_MS });
  const door = await spApiFrontDoor(sandbox);
  try {
    const sellers = Array.from({ length: SAMPLES }, (_, i) => `APKG${String(i).padStart(8, '0')}`);
    for (const sellerId of sellers) {
      const res = await sandbox.handle(
        new Request('http://sandbox/_sandbox/sellers', { method: 'POST', body: JSON.stringify({ sellerId, region: 'na', refreshToken: `Atzr|bench-${sellerId}`, marketplaceIds: BENCH_MARKETPLACES }) }),
      );
      if (!res.ok) throw new Error(`adding sandbox seller ${sellerId}: HTTP ${res.status}`);
    }
    // All at once: each spends ~10 s asleep in the package's interval, so they do not compete.
    return await mapLimit(sellers, SAMPLES, async (sellerId) => {
      const client = new SellingPartner({
        region: 'na',
        refresh_token: `Atzr|bench-${sellerId}`,
        credentials: { SELLING_PARTNER_APP_CLIENT_ID: 'amzn1.application-oa2-client.bench', SELLING_PARTNER_APP_CLIENT_SECRET: 'bench' },
        options: { https_proxy_agent: door.agent },
      });
      const started = performance.now();
      // One report per marketplace, side by side, as the relay asks (shared/report-job.ts); no
      // `interval`: the package's default.
      await Promise.all(
        BENCH_MARKETPLACES.map((marketplaceId) =>
          client.downloadReport({ body: { reportType: 'GET_V2_SELLER_PERFORMANCE_REPORT', marketplaceIds: [marketplaceId] }, version: '2021-06-30', download: { json: true } }),
        ),
      );
      return performance.now() - started;
    });
  } finally {
    await door.close();
  }
}

async function run(): Promise<BenchRow[]> {
  const relay = (await relaySamples()).map((ms) => ms - GENERATION_MS);
  const popup = relay.map((overhead) => popupSeesDoneAt(overhead + GENERATION_MS) - GENERATION_MS);
  const pkg = (await packageSamples()).map((ms) => ms - GENERATION_MS);
  const row = (name: string, samples: number[], p: number, note: string, budget: boolean): BenchRow => ({
    name,
    value: percentile(samples, p) / 1000,
    unit: 's',
    baseline: { name: `amazon-sp-api downloadReport p${p}`, value: percentile(pkg, p) / 1000 },
    ...(budget ? { budget: '< 2 s at p95', met: percentile(samples, p) < BUDGET_MS } : {}),
    note,
  });
  const how =
    `${SAMPLES} refreshes, one at a time, each of a fresh store with ${BENCH_MARKETPLACES.length} marketplaces (one report each), ` +
    `report generation ${GENERATION_MS} ms subtracted; done seen by GET /v1/jobs/:id every ${JOB_POLL_MS} ms. ` +
    `Baseline: amazon-sp-api ${PACKAGE_VERSION} downloadReport per marketplace side by side at its default ${PACKAGE_DEFAULT_INTERVAL_MS / 1000} s interval, ${SAMPLES} sellers concurrently, ` +
    'against the same sandbox (its HTTPS pointed at the sandbox by its https_proxy_agent option).';
  return [
    row('refresh: press -> done minus report generation, p50', relay, 50, how, false),
    row('refresh: press -> done minus report generation, p95', relay, 95, how, true),
    row('refresh: press -> done as the popup polls (500 ms, 1 s, 2 s, 3 s...), p95', popup, 95, 'Derived from the same samples: the first poll of the extension\'s schedule (jobPollDelay) at or after the job was done.', true),
  ];
}

export const refreshLatency: BenchSection = { name: 'refresh latency', run };
