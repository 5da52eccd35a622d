/**
 * Issue 4's "Done when", as a new user would do it, inside workerd: set up a workspace, add a
 * store with a sandbox refresh token, press refresh, follow the job to done, and read every
 * marketplace's metrics with levels and headroom from the overview. The relay app is the real
 * one; its outbound requests reach the sandbox Amazon, and the test delivers the queue messages.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { JobView } from '../../shared/api/jobs.ts';
import { OverviewResponse } from '../../shared/api/overview.ts';
import { createApp } from '../../relay/app.ts';
import { SETUP_TOKEN } from './helpers/relay-client.ts';
import { type SandboxWorld, sandboxWorld } from './helpers/sandbox-world.ts';

/** The sandbox's report generation time (test/support/sandbox-outbound.ts). */
const GENERATION_MS = 3000;

function client(world: SandboxWorld) {
  const app = createApp({ now: () => world.clock.now, fetch: world.fetch, newId: () => crypto.randomUUID() });
  return async <T,>(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'cf-connecting-ip': '10.4.4.4' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, world.env);
    return { status: res.status, body: (await res.json()) as T };
  };
}

describe('refresh, as a new user does it', () => {
  it('goes from setup to every marketplace metric with level and headroom, done within 2 s of the report being ready, and a second refresh with no change writes nothing', async () => {
    const world = await sandboxWorld('eu');
    const api = client(world);
    const setup = await api<{ token: string }>('POST', '/v1/setup', SETUP_TOKEN, { workspace: '演示团队', owner: 'Lin' });
    expect(setup.status).toBe(201);
    const owner = setup.body.token;
    const store = await api<{ id: string; marketplaces: unknown[] }>('POST', '/v1/stores', owner, { name: 'EU 店', region: 'eu', refreshToken: world.seller.refreshToken });
    expect(store.status).toBe(201);
    expect(store.body.marketplaces).toHaveLength(world.seller.marketplaces.length);

    const pressedAt = world.clock.now;
    const started = await api<{ jobId: string }>('POST', `/v1/stores/${store.body.id}/refresh`, owner);
    expect(started.status).toBe(202);
    expect(v.parse(JobView, (await api('GET', `/v1/jobs/${started.body.jobId}`, owner)).body).state).toBe('queued');
    await world.drain();
    const job = v.parse(JobView, (await api('GET', `/v1/jobs/${started.body.jobId}`, owner)).body);
    expect(job).toMatchObject({ state: 'done', error: null });
    // Simulated time: the queue's own latency comes on top in a real run (see npm start).
    expect(job.finishedAt! - pressedAt - GENERATION_MS).toBeLessThan(2000);

    const overview = v.parse(OverviewResponse, (await api('GET', '/v1/overview', owner)).body);
    const mine = overview.stores.find((s) => s.id === store.body.id)!;
    expect(mine.lastCheckedAt).toBe(job.finishedAt);
    expect(mine.marketplaces).toHaveLength(world.seller.marketplaces.length);
    for (const m of mine.marketplaces) {
      expect(m.fetchedAt, m.marketplaceId).not.toBeNull();
      expect(m.level, m.marketplaceId).not.toBe('unknown');
      expect(m.metrics.odrMfn, m.marketplaceId).toMatchObject({ value: expect.any(Number), level: expect.stringMatching(/^(ok|warn|breach)$/), headroom: expect.any(Number) });
      expect(m.metrics.lateShipmentRate?.headroom, m.marketplaceId).toEqual(expect.any(Number));
    }

    // A second refresh once the cooldown is over, with nothing changed on Amazon's side.
    const rows = async () =>
      world.env.DB.prepare('SELECT (SELECT COUNT(*) FROM snapshots WHERE store_id = ?1) AS snapshots, (SELECT COUNT(*) FROM events WHERE store_id = ?1) AS events').bind(store.body.id).first();
    const before = await rows();
    await world.advance(150_000);
    const second = await api<{ jobId: string }>('POST', `/v1/stores/${store.body.id}/refresh`, owner);
    expect(second.body.jobId).not.toBe(started.body.jobId);
    await world.drain();
    expect(v.parse(JobView, (await api('GET', `/v1/jobs/${second.body.jobId}`, owner)).body).state).toBe('done');
    expect(await rows()).toEqual(before);
  });
});
