/**
 * Amazon's identity of a store kept current (issue 12 follow-up), in workerd against the sandbox
 * Amazon: the cron sends each store an `identity` message once a day on its phase, the JOBS
 * consumer reads getMarketplaceParticipations again, and a rename, a marketplace coming or going
 * and suspended listings flipping reach the overview (and its delta) and the events. Ordinary polls
 * never call the Sellers API.
 */
import { createExecutionContext, createMessageBatch, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { OverviewResponse } from '../../shared/api/overview.ts';
import { nextIdentityAt } from '../../shared/store-identity.ts';
import { hashSecret } from '../../relay/auth/tokens.ts';
import { insertMemberStatements } from '../../relay/db/members.ts';
import { handleJobQueue } from '../../relay/pipeline/consumer.ts';
import { IDENTITY_RETRY_MS, scheduleDueIdentity } from '../../relay/pipeline/identity.ts';
import { isJobMessage } from '../../relay/pipeline/messages.ts';
import { feedbackWorld } from './helpers/feedback-wecom-world.ts';
import { call } from './helpers/relay-client.ts';
import { count, sandboxWorld } from './helpers/sandbox-world.ts';

const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const MX = 'A1AM78C64UM0Y8';
const DAY = 86_400_000;
const SELLERS_PATH = '/sellers/v1/marketplaceParticipations';

async function identityWorld(storeName?: string) {
  const w = await sandboxWorld('na');
  if (storeName) await env.DB.prepare('UPDATE stores SET name = ? WHERE id = ?').bind(storeName, w.storeId).run();
  const token = `token-${w.name}`;
  await env.DB.batch(
    insertMemberStatements(env.DB, { memberId: `m-${w.name}`, workspaceId: w.workspaceId, name: 'Lin', role: 'owner', tokenId: `t-${w.name}`, tokenHash: await hashSecret(token), device: 'test' }, w.clock.now),
  );
  // Every Sellers API call the relay makes, from polls and re-reads alike.
  const sellersCalls: number[] = [];
  const fetcher = w.deps.fetch;
  w.deps.fetch = (input, init) => {
    if (new URL(new Request(input, init).url).pathname === SELLERS_PATH) sellersCalls.push(w.clock.now);
    return fetcher(input, init);
  };

  /** One cron tick's identity schedule, its messages for this world's store through the JOBS consumer. */
  async function tick(): Promise<number> {
    const before = w.sent.length;
    await scheduleDueIdentity(w.env, w.clock.now);
    // The D1 of a test file is shared: other tests' stores may be due too.
    const mine = w.sent.splice(before).map((m) => m.body).filter((m) => m.kind === 'identity' && m.storeId === w.storeId);
    const messages = mine.map((body, i) => ({ id: `identity-${i}`, timestamp: new Date(w.clock.now), attempts: 1, body }));
    await handleJobQueue(createMessageBatch('storewatch-jobs', messages), w.env, createExecutionContext(), w.deps);
    return mine.length;
  }

  async function overview(since?: string) {
    const res = await call('GET', `/v1/overview${since ? `?since=${since}` : ''}`, { token });
    expect(res.status).toBe(200);
    return v.parse(OverviewResponse, res.body);
  }

  async function sandbox(change: Record<string, unknown>) {
    await w.control('POST', '/_sandbox/identity', { sellerId: w.seller.sellerId, ...change });
  }
  return { w, tick, overview, sandbox, sellersCalls };
}

describe("Amazon's identity of a store, read again once a day", () => {
  it('carries a rename to the overview and its delta after the daily re-read, and ordinary polls never ask the Sellers API', async () => {
    const { w, tick, overview, sandbox, sellersCalls } = await identityWorld();
    // A store from before this re-read existed is due at once and learns Amazon's name.
    expect(await tick()).toBe(1);
    expect(sellersCalls).toHaveLength(1);
    // The cron's SQL moves the store to the slot shared/store-identity.ts computes.
    const row = await env.DB.prepare('SELECT next_identity_at, poll_phase FROM stores WHERE id = ?').bind(w.storeId).first<{ next_identity_at: number; poll_phase: number }>();
    expect(row?.next_identity_at).toBe(nextIdentityAt(w.clock.now, row?.poll_phase ?? -1));
    const first = await overview();
    expect(first.stores.find((s) => s.id === w.storeId)).toMatchObject({ name: 'Demo na', amazonStoreName: 'Lumora Home' });

    await sandbox({ storeName: 'Lumora Home & Garden' });
    // Polls run as usual and make no Sellers API call; no re-read before the day is over.
    await w.poll();
    await w.advance(6 * 3_600_000);
    await w.poll();
    expect(await tick()).toBe(0);
    expect(sellersCalls).toHaveLength(1);
    const cursor = (await overview()).cursor!;

    await w.advance(DAY);
    expect(await tick()).toBe(1);
    expect(sellersCalls).toHaveLength(2);
    const delta = await overview(cursor);
    const changed = delta.stores.find((s) => s.id === w.storeId);
    expect(changed).toMatchObject({ name: 'Demo na', amazonStoreName: 'Lumora Home & Garden' });
    expect(changed?.marketplaces.map((m) => m.storeName)).toEqual(['Lumora Home & Garden', 'Lumora Home & Garden', 'Lumora Home & Garden']);
    expect((await overview()).stores.find((s) => s.id === w.storeId)?.amazonStoreName).toBe('Lumora Home & Garden');

    // The next re-read finds nothing new: it writes nothing, so the cursor stays.
    const after = (await overview()).cursor!;
    await w.advance(DAY);
    expect(await tick()).toBe(1);
    expect((await overview(after)).stores).toEqual([]);
  });

  it("renames the team's store name with Amazon's when it was Amazon's name; a name the team chose stays", async () => {
    const { w, tick, overview, sandbox } = await identityWorld('Lumora Home');
    await tick();
    await sandbox({ storeName: 'Lumora Living' });
    await w.advance(DAY);
    await tick();
    expect((await overview()).stores.find((s) => s.id === w.storeId)).toMatchObject({ name: 'Lumora Living', amazonStoreName: 'Lumora Living' });
  });

  it('raises suspended_listings when the flag flips, and watches a marketplace that appears and drops one that is gone', async () => {
    const { w, tick, overview, sandbox } = await identityWorld();
    await tick();
    expect(w.fannedOut).toEqual([]);

    await sandbox({ marketplaceIds: [US, CA], suspendedListings: [US] });
    await w.advance(DAY);
    await tick();
    expect(w.fannedOut).toMatchObject([{ kind: 'suspended_listings', marketplaceId: US, from: 'false', to: 'true', severity: 'warning', storeId: w.storeId }]);
    expect(await count('SELECT COUNT(*) AS n FROM store_marketplaces WHERE store_id = ?', w.storeId)).toBe(2);
    expect((await overview()).stores.find((s) => s.id === w.storeId)?.marketplaces.map((m) => [m.countryCode, m.hasSuspendedListings])).toEqual([
      ['CA', false],
      ['US', true],
    ]);

    await sandbox({ marketplaceIds: [US, CA, MX], suspendedListings: [] });
    await w.advance(DAY);
    await tick();
    expect(w.fannedOut.map((e) => [e.kind, e.from, e.to])).toEqual([
      ['suspended_listings', 'false', 'true'],
      ['suspended_listings', 'true', 'false'],
    ]);
    expect(await count('SELECT COUNT(*) AS n FROM store_marketplaces WHERE store_id = ? AND marketplace_id = ?', w.storeId, MX)).toBe(1);
    // The marketplace that came back is polled with the others.
    const jobId = await w.poll();
    expect(await count('SELECT COUNT(DISTINCT marketplace_id) AS n FROM snapshots WHERE store_id = ?', w.storeId)).toBe(3);
    expect(jobId).toBeTruthy();
  });

  it('sends suspended listings to the team’s WeCom robot like any alert', async () => {
    const { w, settle, wecom } = await feedbackWorld();
    const reread = async () => {
      const before = w.sent.length;
      await scheduleDueIdentity(w.env, w.clock.now);
      const mine = w.sent.splice(before).map((m) => m.body).filter((m) => m.kind === 'identity' && m.storeId === w.storeId);
      const messages = mine.map((body, i) => ({ id: `identity-${i}`, timestamp: new Date(w.clock.now), attempts: 1, body }));
      await handleJobQueue(createMessageBatch('storewatch-jobs', messages), w.env, { ...createExecutionContext(), waitUntil: w.ctx.waitUntil }, w.deps);
      await settle();
    };
    await reread();
    expect(wecom()).toEqual([]);
    await w.control('POST', '/_sandbox/identity', { sellerId: w.seller.sellerId, suspendedListings: [CA] });
    await w.advance(DAY);
    await reread();
    expect(wecom()).toHaveLength(1);
    expect(wecom()[0]!.text).toContain('被暂停的商品');
    expect(wecom()[0]!.text).toContain('加拿大站');
  });

  it('tries a refused re-read again an hour later, not the next day', async () => {
    const { w, tick, sellersCalls } = await identityWorld();
    await w.control('POST', '/_sandbox/faults', { sellerId: w.seller.sellerId, fault: 'server-error', operation: 'getMarketplaceParticipations' });
    await tick();
    expect(sellersCalls).toHaveLength(1);
    expect(await count('SELECT next_identity_at AS n FROM stores WHERE id = ?', w.storeId)).toBe(w.clock.now + IDENTITY_RETRY_MS);
    await w.advance(IDENTITY_RETRY_MS);
    expect(await tick()).toBe(1);
    expect(sellersCalls).toHaveLength(2);
    expect(await count('SELECT COUNT(*) AS n FROM store_marketplaces WHERE store_id = ? AND store_name IS NOT NULL', w.storeId)).toBe(3);
  });

  it('falls each day on the store’s own phase, half a day to a day and a half ahead', () => {
    const phase = 5 * 3_600_000;
    const now = Date.UTC(2026, 11, 6, 10, 0);
    const next = nextIdentityAt(now, phase);
    expect(next % DAY).toBe(phase);
    expect(next - now).toBeGreaterThanOrEqual(DAY / 2);
    expect(next - now).toBeLessThan(DAY + DAY / 2);
    expect(isJobMessage({ kind: 'identity', storeId: 's', workspaceId: 'w' })).toBe(true);
    expect(isJobMessage({ kind: 'identity', storeId: 's' })).toBe(false);
  });
});
