/**
 * One store poll, from the cron's `poll` message to the job's last step, run through the relay's
 * own queue handler (relay/pipeline/consumer.ts `handleJobQueue`) one invocation per message, as
 * wrangler.toml configures the consumer (max_batch_size = 1). Each invocation is recorded against
 * real local D1 and the scripted Amazon of the relay tests, then replayed from its tape to read the
 * Worker's CPU (bench/cost-support/tape.ts says why).
 */
import { randomBytes } from 'node:crypto';
import { keyringFromEnv, refreshTokenContext, seal } from '../../relay/crypto/secrets.ts';
import type { Env } from '../../relay/env.ts';
import { handleJobQueue } from '../../relay/pipeline/consumer.ts';
import { pipelineDeps } from '../../relay/pipeline/deps.ts';
import type { JobMessage } from '../../relay/pipeline/messages.ts';
import { type MarketplaceFigures, buildReport } from '../../test/support/report-documents.ts';
import { ScriptedAmazon } from '../../test/relay/helpers/scripted-amazon.ts';
import { platformDeps } from '../../relay/platform-deps.ts';
import { type Meter, type Tape, cpuMs, newMeter, newTape, recordingDb, recordingFetch, recordingQueue, replayer } from './tape.ts';

export const MARKETPLACES = { US: 'ATVPDKIKX0DER', CA: 'A2EUQ1WTGCTBG2', MX: 'A1AM78C64UM0Y8' } as const;

export interface Invocation {
  body: JobMessage;
  at: number;
  idsAt: number;
  tape: Tape;
  meter: Meter;
}

export interface PollWorld {
  /** The seller's figures per marketplace: what the next report says. */
  figures: Record<string, Omit<MarketplaceFigures, 'marketplaceId'>>;
  record(at: number): Promise<Invocation[]>;
  replay(invocations: readonly Invocation[]): Promise<number[]>;
}

const STORE = 'store-bench';
const WORKSPACE = 'ws-bench';

/** A workspace with one North America store selling in three marketplaces, its refresh token sealed. */
export async function pollWorld(db: D1Database, now: number): Promise<PollWorld> {
  const base = { TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'), LWA_CLIENT_ID: 'client', LWA_CLIENT_SECRET: 'secret' };
  const refreshToken = 'Atzr|bench-seller';
  const figures: PollWorld['figures'] = Object.fromEntries(Object.values(MARKETPLACES).map((id) => [id, { odrMfn: { defects: 1, orders: 400 }, late: { late: 3, orders: 400 } }]));
  // Three statuses per report (IN_QUEUE, IN_PROGRESS, DONE): Amazon takes a while to generate it.
  const amazon = new ScriptedAmazon({
    sellers: { [refreshToken]: { documents: Object.fromEntries(Object.keys(figures).map((id) => [id, () => buildReport({ marketplaceId: id, ...figures[id] })])) } },
    pollsUntilDone: 3,
  });
  const sealed = await seal(await keyringFromEnv(base), refreshToken, refreshTokenContext(WORKSPACE, STORE));
  await db.batch([
    db.prepare('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)').bind(WORKSPACE, 'Bench', now),
    db
      .prepare(
        `INSERT INTO stores (id, workspace_id, name, region, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, next_poll_at, created_at, updated_at)
         VALUES (?, ?, 'Bench store', 'na', ?, ?, ?, 0, ?, ?)`,
      )
      .bind(STORE, WORKSPACE, sealed.ciphertext, sealed.iv, sealed.keyId, now, now),
    ...Object.entries(MARKETPLACES).map(([country, id]) =>
      db.prepare('INSERT INTO store_marketplaces (store_id, workspace_id, marketplace_id, country_code) VALUES (?, ?, ?, ?)').bind(STORE, WORKSPACE, id, country),
    ),
  ]);

  const clock = { now };
  const ids = { n: 0 };

  /** One queue invocation with the production deps' shape: keyring per invocation, alerting on. */
  async function invoke(env: Env, fetcher: typeof fetch, body: JobMessage, at: number): Promise<void> {
    const deps = pipelineDeps(platformDeps(env, { now: () => clock.now, fetch: fetcher, newId: () => String(++ids.n) }));
    const pending: Promise<unknown>[] = [];
    let failed = false;
    const batch = {
      queue: 'storewatch-jobs',
      messages: [{ id: `msg-${at}`, timestamp: new Date(at), body, attempts: 1, ack() {}, retry: () => void (failed = true) }],
      ackAll() {},
      retryAll() {},
    } as unknown as MessageBatch<unknown>;
    const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    await handleJobQueue(batch, env, ctx, deps);
    await Promise.all(pending);
    if (failed) throw new Error(`the step for ${JSON.stringify(body)} threw; the bench measures only clean polls`);
  }

  return {
    figures,
    async record(at) {
      const queue: Array<{ body: JobMessage; at: number }> = [{ body: { kind: 'poll', storeId: STORE, workspaceId: WORKSPACE }, at }];
      const invocations: Invocation[] = [];
      // A poll is a handful of steps; 40 means the job never finished.
      for (let guard = 0; queue.length > 0; guard++) {
        if (guard >= 40) throw new Error('the poll did not finish within 40 invocations');
        queue.sort((a, b) => a.at - b.at);
        const message = queue.shift()!;
        clock.now = message.at;
        const tape = newTape();
        const meter = newMeter();
        const sent: Array<{ body: JobMessage; delaySeconds: number }> = [];
        const env = { ...base, DB: recordingDb(db, tape, meter), JOBS: recordingQueue(meter, sent), DELIVERIES: recordingQueue(meter, []) } as Env;
        const idsAt = ids.n;
        await invoke(env, recordingFetch(amazon.fetch, tape, meter), message.body, message.at);
        invocations.push({ body: message.body, at: message.at, idsAt, tape, meter });
        for (const s of sent) queue.push({ body: s.body, at: message.at + s.delaySeconds * 1000 });
      }
      return invocations;
    },
    async replay(invocations) {
      const cpu: number[] = [];
      for (const inv of invocations) {
        clock.now = inv.at;
        ids.n = inv.idsAt;
        const tape = replayer(inv.tape);
        const env = { ...base, DB: tape.db, JOBS: recordingQueue(null, []), DELIVERIES: recordingQueue(null, []) } as Env;
        cpu.push(await cpuMs(() => invoke(env, tape.fetch, inv.body, inv.at)));
        if (tape.leftOver() !== 0) throw new Error(`the replay of ${JSON.stringify(inv.body)} made ${tape.leftOver()} fewer calls than its recording`);
      }
      return cpu;
    },
  };
}
