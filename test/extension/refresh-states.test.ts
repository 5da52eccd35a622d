/**
 * Refresh states that stay true: a refresh inside the relay's cooldown says so, a job left running
 * when the browser closed is asked for again (or ends as interrupted), an abandoned line never
 * keeps the button disabled, and sparklines are read again once Amazon's data moved.
 */
// oxlint-disable-next-line import/no-unassigned-import -- the import installs IndexedDB globals in happy-dom; that side effect is its point
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHistory } from '../../extension/entrypoints/background/history.ts';
import { createJobs } from '../../extension/entrypoints/background/jobs.ts';
import { type JobProgress, createCache, openCacheDb } from '../../extension/lib/cache/cache-db.ts';
import { JOB_ERROR_INTERRUPTED, visibleJobs } from '../../extension/lib/derive/job-progress.ts';
import { credentialStore } from '../../extension/lib/platform/credentials.ts';
import { indexedDbVault } from '../../extension/lib/platform/token-vault.ts';
import { createRelayClient } from '../../extension/lib/relay/relay-client.ts';
import { type Route, fakeRelay, json } from './helpers/fake-relay.ts';
import { NOW, US, threeStores } from './helpers/overview-fixtures.ts';

let n = 0;

async function world(routes: Record<string, Route>, paired = true) {
  fakeBrowser.reset();
  const local = fakeBrowser.storage.local;
  const credentials = credentialStore(local, indexedDbVault(`refresh-states-vault-${++n}`));
  if (paired) {
    await credentials.save({ relayUrl: 'https://relay.test', workspaceId: 'w1', workspaceName: null, memberId: 'm1', memberName: null, role: 'owner', pairedAt: NOW }, 'tok-1');
  }
  const cache = createCache(await openCacheDb(`refresh-states-${++n}`));
  const relay = fakeRelay(routes);
  let syncs = 0;
  const relayFor = (baseUrl: string, token: string) => createRelayClient({ baseUrl, token, fetch: relay.fetch });
  const jobs = createJobs({ cache, credentials: credentials.read, relayFor, now: () => NOW, sleep: async () => undefined, changed: async () => undefined, syncNow: async () => void syncs++ });
  const job = async (storeId: string) => (await cache.snapshot()).jobs.find((j) => j.storeId === storeId);
  return { cache, relay, jobs, job, local, credentials: credentials.read, relayFor, syncs: () => syncs };
}

const view = (id: string, state: string, patch: Record<string, unknown> = {}) => ({ id, storeId: 's-warn', state, error: null, startedAt: NOW - 60_000, finishedAt: null, ...patch });

describe('refresh states', () => {
  beforeEach(() => fakeBrowser.reset());

  it('shows a refresh answered inside the cooldown as the earlier job, with when it ran, not as a new one done', async () => {
    const w = await world({
      'POST /v1/stores/s-warn/refresh': () => json({ jobId: 'j-earlier' }, 202, { 'retry-after': '120' }),
      'GET /v1/jobs/j-earlier': () => json(view('j-earlier', 'done', { finishedAt: NOW - 30_000 })),
    });
    expect(await w.jobs.refresh('s-warn')).toEqual({ ok: true });
    await w.jobs.settled();
    expect(await w.job('s-warn')).toMatchObject({ state: 'done', cooldown: true, startedAt: NOW - 60_000 });
    expect(w.syncs()).toBe(0);
  });

  it('follows a job it started to the end as a normal refresh', async () => {
    const states = ['requesting', 'waiting', 'done'];
    const w = await world({
      'POST /v1/stores/s-warn/refresh': () => json({ jobId: 'j-new' }, 202),
      'GET /v1/jobs/j-new': () => {
        const state = states.shift() ?? 'done';
        return json(view('j-new', state, { startedAt: NOW, finishedAt: state === 'done' ? NOW : null }));
      },
    });
    await w.jobs.refresh('s-warn');
    await w.jobs.settled();
    const job = await w.job('s-warn');
    expect(job).toMatchObject({ state: 'done', startedAt: NOW });
    expect(job?.cooldown).toBeUndefined();
    expect(w.syncs()).toBe(1);
  });

  it('resumes a job the cache still shows running after a restart, from the relay', async () => {
    const w = await world({ 'GET /v1/jobs/j-left': () => json(view('j-left', 'done', { finishedAt: NOW - 5_000 })) });
    const left: JobProgress = { storeId: 's-warn', jobId: 'j-left', state: 'waiting', error: null, updatedAt: NOW - 600_000 };
    await w.cache.saveJob(left);
    await w.jobs.resume([left]);
    await w.jobs.settled();
    expect(await w.job('s-warn')).toMatchObject({ state: 'done', jobId: 'j-left' });
    expect((await w.job('s-warn'))?.cooldown).toBeUndefined();
    expect(w.syncs()).toBe(1);
  });

  it('ends a cached running job as interrupted when it has no job id or the relay no longer knows it', async () => {
    const w = await world({});
    const starting: JobProgress = { storeId: '*', jobId: null, state: 'starting', error: null, updatedAt: NOW - 60_000 };
    const gone: JobProgress = { storeId: 's-warn', jobId: 'j-gone', state: 'requesting', error: null, updatedAt: NOW - 60_000 };
    await w.jobs.resume([starting, gone]);
    await w.jobs.settled();
    expect(await w.job('*')).toMatchObject({ state: 'failed', error: JOB_ERROR_INTERRUPTED });
    expect(await w.job('s-warn')).toMatchObject({ state: 'failed', error: JOB_ERROR_INTERRUPTED });
  });

  it('leaves no finished job untouched and asks the relay for nothing then', async () => {
    const w = await world({});
    await w.jobs.resume([{ storeId: 's-warn', jobId: 'j1', state: 'done', error: null, updatedAt: NOW }]);
    expect(w.relay.calls).toHaveLength(0);
  });

  it('drops a running line older than any job can run, so the refresh button never sticks', () => {
    const stuck: JobProgress = { storeId: 's', jobId: 'j', state: 'waiting', error: null, updatedAt: NOW - 36 * 60_000 };
    const live: JobProgress = { ...stuck, storeId: 't', updatedAt: NOW - 5 * 60_000 };
    expect(visibleJobs([stuck, live], NOW).map((j) => j.storeId)).toEqual(['t']);
  });

  it('reads the sparklines again once Amazon\'s data for the marketplace is newer than when they were read', async () => {
    const w = await world({ 'GET /v1/stores/s-ok/history': () => json({ points: [{ takenAt: NOW, value: 0.024, level: 'breach' }] }) });
    const stores = threeStores();
    await w.cache.replaceStores(stores);
    const history = createHistory({ cache: w.cache, credentials: w.credentials, relayFor: w.relayFor, now: () => NOW, changed: async () => undefined });
    await (await history.forMarketplace('s-ok', US)).loading;
    const first = w.relay.calls.length;
    // Its one metric's series and the rating's score beside it.
    expect(w.relay.calls.map((c) => new URL(`https://x${c.path}`).searchParams.get('metric')).sort()).toEqual(['ahr', 'odrMfn']);
    // Nothing moved: the series read a moment ago stands.
    await (await history.forMarketplace('s-ok', US)).loading;
    expect(w.relay.calls).toHaveLength(first);
    // A refresh brought newer numbers: read again at once, not 30 minutes later.
    const moved = stores.map((s) => (s.id === 's-ok' ? { ...s, marketplaces: s.marketplaces.map((m) => ({ ...m, fetchedAt: NOW })) } : s));
    await w.cache.replaceStores(moved);
    await (await history.forMarketplace('s-ok', US)).loading;
    expect(w.relay.calls).toHaveLength(first * 2);
  });
});
