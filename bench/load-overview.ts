/**
 * "overview load": `GET /v1/overview` (the popup's one call) for a 500-store workspace - its size,
 * its latency one request at a time (median of 9) and under concurrent load - and delta sync
 * (`?since=<cursor>`), on the local
 * relay - the Worker from wrangler.toml on workerd with local D1, started as `npm start` starts it
 * (scripts/local-relay.ts) but on a throw-away state directory - driven by autocannon. Baseline in
 * the same run, under the same load: `GET /healthz`, the relay's cheapest route (no auth; no D1 after its first call, which checks the keys once).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { applyLocalMigrations, quietWranglerEnv, startLocalRelay } from '../scripts/local-relay.ts';
import { SEED, seedSql } from './load-seed.ts';
import { type BenchRow, type BenchSection, percentile } from './rows.ts';

const CONNECTIONS = 20;
const SECONDS = 10;
const WARM_UP_SECONDS = 2;

/** A port free right now on 127.0.0.1 (other benchmarks may hold the usual ones). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function seed(persistTo: string, now: number, encryptionKey: string): Promise<string> {
  const { sql, token } = await seedSql(now, encryptionKey);
  const file = join(persistTo, 'seed.sql');
  writeFileSync(file, sql);
  const result = spawnSync('npx', ['wrangler', 'd1', 'execute', 'storewatch', '--local', '--persist-to', persistTo, '--file', file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`Seeding the local D1 failed:\n${result.stdout}\n${result.stderr}`);
  return token;
}

async function load(url: string, headers: Record<string, string> = {}): Promise<Result> {
  await autocannon({ url, connections: CONNECTIONS, duration: WARM_UP_SECONDS, headers });
  return autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
}

const failures = (r: Result) => r.errors + r.timeouts + r.non2xx;

/** Issue 15's budgets: the 500-store overview, before compression, and against /healthz. */
const BODY_BUDGET_BYTES = 300 * 1024;
const LATENCY_BUDGET_RATIO = 10;
const SAMPLES = 9;

/** Median wall time of `SAMPLES` requests one after another (after one to warm up), and the last body. */
async function median(url: string, headers: Record<string, string> = {}): Promise<{ ms: number; bytes: number; text: string }> {
  await (await fetch(url, { headers })).arrayBuffer();
  const times: number[] = [];
  let text = '';
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    text = await res.text();
    times.push(performance.now() - t0);
    if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
  }
  return { ms: percentile(times, 50), bytes: Buffer.byteLength(text), text };
}

async function run(): Promise<BenchRow[]> {
  quietWranglerEnv();
  const persistTo = mkdtempSync(join(tmpdir(), 'storewatch-bench-relay-'));
  try {
    applyLocalMigrations(persistTo);
    const encryptionKey = randomBytes(32).toString('base64');
    const token = await seed(persistTo, Date.now(), encryptionKey);
    const relay = await startLocalRelay({
      port: await freePort(),
      persistTo,
      vars: { SETUP_TOKEN: randomBytes(18).toString('base64url'), TOKEN_ENCRYPTION_KEY: encryptionKey },
      // The overview makes no outbound call; anything else would be a bug worth seeing as a 502.
      outbound: async () => new Response('no outbound calls in this benchmark', { status: 502 }),
    });
    try {
      const auth = { authorization: `Bearer ${token}` };
      const check = await fetch(`${relay.url}/v1/overview`, { headers: auth });
      const body = (await check.json()) as { stores?: Array<{ marketplaces: Array<{ level: string }> }> };
      const shown = body.stores?.flatMap((s) => s.marketplaces).filter((m) => m.level !== 'unknown').length ?? 0;
      if (check.status !== 200 || body.stores?.length !== SEED.stores || shown !== SEED.stores * SEED.marketplaces.length) {
        throw new Error(`the seeded overview is not what was seeded: HTTP ${check.status}, ${body.stores?.length} stores, ${shown} marketplaces with a snapshot`);
      }
      const bytes = Number(check.headers.get('content-length') ?? 0) || JSON.stringify(body).length;
      // One request at a time first: the latency a popup sees, against the relay's cheapest route.
      const quietHealthz = await median(`${relay.url}/healthz`);
      const quietOverview = await median(`${relay.url}/v1/overview`, auth);
      const cursor = (JSON.parse(quietOverview.text) as { cursor: string }).cursor;
      const unchanged = await median(`${relay.url}/v1/overview?since=${cursor}`, auth);
      // Five stores renamed (each stamps its store, as a new reading does): the delta lists those five.
      const ids = (body.stores ?? []).slice(0, 5).map((s) => (s as unknown as { id: string }).id);
      for (const id of ids) {
        const res = await fetch(`${relay.url}/v1/stores/${id}`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: `Renamed ${id.slice(-4)}` }) });
        if (!res.ok) throw new Error(`renaming a store answered HTTP ${res.status}`);
      }
      const changed = await median(`${relay.url}/v1/overview?since=${cursor}`, auth);
      // The first request after a change builds the body; the ones after it, at the same cursor, are
      // served the body built then (relay/routes/overview.ts). A store renamed before each sample
      // makes every sample a build.
      const builds: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const rename = await fetch(`${relay.url}/v1/stores/${ids[0]}`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: `Rebuilt ${i}` }) });
        if (!rename.ok) throw new Error(`renaming a store answered HTTP ${rename.status}`);
        const t0 = performance.now();
        const res = await fetch(`${relay.url}/v1/overview`, { headers: auth });
        await res.arrayBuffer();
        builds.push(performance.now() - t0);
      }
      const built = percentile(builds, 50);
      const listed = (JSON.parse(changed.text) as { stores: unknown[] }).stores.length;
      const unchangedListed = (JSON.parse(unchanged.text) as { stores: unknown[] }).stores.length;
      const healthz = await load(`${relay.url}/healthz`);
      const overview = await load(`${relay.url}/v1/overview`, auth);
      const current = (await fetch(`${relay.url}/v1/overview`, { headers: auth })).headers.get('etag') ?? '';
      const conditional = await load(`${relay.url}/v1/overview`, { ...auth, 'if-none-match': current });
      const how = `autocannon, ${CONNECTIONS} connections, ${SECONDS} s after ${WARM_UP_SECONDS} s warm-up, local workerd (unstable_startWorker) and local D1; ${SEED.stores} stores x ${SEED.marketplaces.length} marketplaces, ${SEED.history} snapshots each`;
      const errs = (r: Result) => `${r.requests.total} requests, ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`;
      const seq = `fetch from Node, ${SAMPLES} requests one after another after one to warm up, median; local workerd and local D1; ${SEED.stores} stores x ${SEED.marketplaces.length} marketplaces`;
      return [
        {
          name: `GET /v1/overview, ${SEED.stores} stores x ${SEED.marketplaces.length} marketplaces: body before compression`,
          value: bytes / 1024,
          unit: 'KB',
          budget: `<= ${BODY_BUDGET_BYTES / 1024} KB`,
          met: bytes <= BODY_BUDGET_BYTES,
          note: `${bytes} bytes; ${(bytes / (SEED.stores * SEED.marketplaces.length)).toFixed(0)} bytes per marketplace (shared/api/overview.ts)`,
        },
        {
          name: `GET /v1/overview, ${SEED.stores} stores: latency, median of ${SAMPLES}`,
          value: quietOverview.ms,
          unit: 'ms',
          baseline: { name: 'GET /healthz', value: quietHealthz.ms },
          budget: `<= ${LATENCY_BUDGET_RATIO}x GET /healthz`,
          met: quietOverview.ms <= LATENCY_BUDGET_RATIO * quietHealthz.ms,
          note: seq,
        },
        {
          name: `GET /v1/overview, ${SEED.stores} stores, the first request after a change (the body built): latency, median of ${SAMPLES}`,
          value: built,
          unit: 'ms',
          baseline: { name: 'GET /healthz', value: quietHealthz.ms },
          note: `${seq}; a store renamed before each sample, so none is served a body built before (for information: the row above is what every other profile of the team is answered)`,
        },
        {
          name: `GET /v1/overview?since=<cursor>, unchanged workspace: latency, median of ${SAMPLES}`,
          value: unchanged.ms,
          unit: 'ms',
          baseline: { name: 'GET /healthz', value: quietHealthz.ms },
          budget: 'lists no store',
          met: unchangedListed === 0,
          note: `${unchanged.bytes} bytes, ${unchangedListed} stores listed; ${seq}`,
        },
        {
          name: `GET /v1/overview?since=<cursor>, 5 of ${SEED.stores} stores changed: body`,
          value: changed.bytes / 1024,
          unit: 'KB',
          baseline: { name: 'the full overview', value: bytes / 1024 },
          note: `${listed} stores listed; latency median ${changed.ms.toFixed(1)} ms (full overview ${quietOverview.ms.toFixed(1)} ms)`,
        },
        { name: 'GET /v1/overview under load: latency p50', value: overview.latency.p50, unit: 'ms', baseline: { name: 'GET /healthz', value: healthz.latency.p50 }, note: how },
        { name: 'GET /v1/overview under load: latency p99', value: overview.latency.p99, unit: 'ms', baseline: { name: 'GET /healthz', value: healthz.latency.p99 }, note: how },
        {
          name: `GET /v1/overview under load: requests per second (${Math.round(bytes / 1024)} KB body)`,
          value: overview.requests.average,
          unit: 'req/s',
          baseline: { name: 'GET /healthz', value: healthz.requests.average },
          note: `overview: ${errs(overview)}; healthz: ${errs(healthz)}`,
        },
        {
          name: 'GET /v1/overview under load: errors + timeouts + non-2xx',
          value: failures(overview),
          unit: 'responses',
          baseline: { name: 'GET /healthz', value: failures(healthz) },
          budget: '0',
          met: failures(overview) === 0,
          note: `out of ${overview.requests.total} requests`,
        },
        {
          // The popup sends its ETag back: an unchanged overview is a 304 without a body.
          name: 'GET /v1/overview with a matching If-None-Match (304): requests per second',
          value: conditional.requests.average,
          unit: 'req/s',
          baseline: { name: 'GET /healthz', value: healthz.requests.average },
          note: `p50 ${conditional.latency.p50} ms, p99 ${conditional.latency.p99} ms; ${conditional.requests.total} requests, ${conditional.errors + conditional.timeouts} errors/timeouts (a 304 counts as non-2xx in autocannon: ${conditional.non2xx})`,
        },
      ];
    } finally {
      await relay.close();
    }
  } finally {
    rmSync(persistTo, { recursive: true, force: true });
  }
}

export const overviewLoad: BenchSection = { name: 'overview load', run };
