/**
 * "overview load": `GET /v1/overview` (the popup's one call) under concurrent load on the local
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
import type { BenchRow, BenchSection } from './rows.ts';

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

function seed(persistTo: string, now: number): string {
  const { sql, token } = seedSql(now);
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

async function run(): Promise<BenchRow[]> {
  quietWranglerEnv();
  const persistTo = mkdtempSync(join(tmpdir(), 'storewatch-bench-relay-'));
  try {
    applyLocalMigrations(persistTo);
    const token = seed(persistTo, Date.now());
    const relay = await startLocalRelay({
      port: await freePort(),
      persistTo,
      vars: { SETUP_TOKEN: randomBytes(18).toString('base64url'), TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') },
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
      const healthz = await load(`${relay.url}/healthz`);
      const overview = await load(`${relay.url}/v1/overview`, auth);
      const conditional = await load(`${relay.url}/v1/overview`, { ...auth, 'if-none-match': check.headers.get('etag') ?? '' });
      const how = `autocannon, ${CONNECTIONS} connections, ${SECONDS} s after ${WARM_UP_SECONDS} s warm-up, local workerd (unstable_startWorker) and local D1; ${SEED.stores} stores x ${SEED.marketplaces.length} marketplaces, ${SEED.history} snapshots each`;
      const errs = (r: Result) => `${r.requests.total} requests, ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`;
      return [
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
