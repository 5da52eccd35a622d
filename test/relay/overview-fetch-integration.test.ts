import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { OverviewResponse } from '../../shared/api/overview.ts';
import { evaluate } from '../../shared/evaluate.ts';
import type { MarketplaceSnapshot } from '../../shared/types.ts';
import { touchStoreStatements } from '../../relay/db/overview-changes.ts';
import { insertSnapshotStatement } from './helpers/snapshot-rows.ts';
import { addStore, call, setupWorkspace, type Workspace } from './helpers/relay-client.ts';

const US = 'ATVPDKIKX0DER';

function snapshot(odr: number, defects: number, ahr: MarketplaceSnapshot['ahr'] = { status: 'GREAT', score: 980 }): MarketplaceSnapshot {
  return {
    marketplaceId: US,
    accountStatus: 'NORMAL',
    accountStatusRaw: 'NORMAL',
    ahr,
    metrics: {
      odrMfn: {
        value: odr,
        target: { value: 0.01, condition: 'LESS_THAN' },
        // Amazon's own verdict, as Seller Central shows it: BAD once the 1 % target is missed.
        amazonStatus: odr >= 0.01 ? 'BAD' : 'GOOD',
        window: { from: '2026-01-09T00:00:00Z', to: '2026-03-09T00:00:00Z' },
        counts: { total: 1000, defects },
      },
    },
    warningStates: [],
    extra: {},
  };
}

async function record(owner: Workspace, storeId: string, takenAt: number, odr: number, defects: number, ahr?: MarketplaceSnapshot['ahr']): Promise<void> {
  const content = snapshot(odr, defects, ahr);
  // As the pipeline writes a reading: with the store's change stamp in the same batch.
  await env.DB.batch([
    insertSnapshotStatement(env.DB, {
      id: crypto.randomUUID(),
      workspaceId: owner.workspaceId,
      storeId,
      marketplaceId: US,
      takenAt,
      fetchedAt: takenAt + 1000,
      content,
      evaluation: evaluate(content, () => ({ warnMargin: 0.75, headroomWarn: 1 })),
    }),
    ...touchStoreStatements(env.DB, owner.workspaceId, storeId),
  ]);
}

describe('GET /v1/overview', () => {
  it('shows every store and marketplace from the newest snapshot, unknown where none yet', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-overview');
    await record(owner, store.id, 1_000, 0.002, 2);
    await record(owner, store.id, 2_000, 0.009, 9);
    const res = await call<{ stores: Array<Record<string, unknown> & { marketplaces: Array<Record<string, unknown>> }> }>('GET', '/v1/overview', { token: owner.token });
    expect(res.status).toBe(200);
    const [s] = res.body.stores;
    // Compact on the wire (shared/api/overview.ts): the store's level, an ok authorization, the
    // country code, a NORMAL status and the catalog's own target are left for the reader to fill
    // in, the shared reading time and Amazon's store name are said once on the store, listings
    // not suspended go unsaid, metrics only when they need attention.
    expect(s).toMatchObject({ id: store.id, name: 'Acme US', amazonStoreName: 'Stand-in Store', region: 'na', lastCheckedAt: null, fetchedAt: 3_000 });
    const us = s!.marketplaces.find((m) => m.marketplaceId === US);
    expect(us).toEqual({
      marketplaceId: US,
      level: 'warn',
      ahr: { status: 'GREAT', score: 980 },
      metrics: { odrMfn: { value: 0.009, level: 'warn', headroom: expect.any(Number), window: '2026-01-09T00:00:00Z/2026-03-09T00:00:00Z' } },
    });
    const read = v.parse(OverviewResponse, res.body).stores[0]!;
    expect(read).toMatchObject({ level: 'warn', auth: 'ok' });
    expect(read.marketplaces.find((m) => m.marketplaceId === US)).toMatchObject({ countryCode: 'US', accountStatus: 'NORMAL', fetchedAt: 3_000, storeName: 'Stand-in Store', hasSuspendedListings: false });
    expect(res.body).toMatchObject({ full: true, removed: [], cursor: expect.stringMatching(/^3\.\d+$/) });
    expect(s!.marketplaces.find((m) => m.marketplaceId !== US)).toMatchObject({ level: 'unknown', fetchedAt: null });
  });

  it('shows the negative feedback inside the ODR window per marketplace once the feedback report was read, and a new ETag when it moves', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-feedback-count');
    const before = await call<{ stores: Array<{ marketplaces: Array<{ marketplaceId: string; negativeFeedback?: unknown }> }> }>('GET', '/v1/overview', { token: owner.token });
    expect(before.body.stores[0]!.marketplaces.find((m) => m.marketplaceId === US)?.negativeFeedback).toBeUndefined();
    // As the feedback job saves a count: with the store's change stamp (relay/pipeline/consumer.ts).
    const count = (n: number) =>
      env.DB.batch([
        env.DB.prepare(
          `INSERT INTO feedback_counts (store_id, workspace_id, marketplace_id, window_count, window_days, checked_at) VALUES (?, ?, ?, ?, 60, 1)
           ON CONFLICT (store_id, marketplace_id) DO UPDATE SET window_count = excluded.window_count`,
        ).bind(store.id, owner.workspaceId, US, n),
        ...touchStoreStatements(env.DB, owner.workspaceId, store.id),
      ]);
    await count(2);
    const after = await call<typeof before.body>('GET', '/v1/overview', { token: owner.token, headers: { 'if-none-match': before.headers.get('etag')! } });
    expect(after.status).toBe(200);
    expect(after.body.stores[0]!.marketplaces.find((m) => m.marketplaceId === US)?.negativeFeedback).toEqual({ count: 2, windowDays: 60 });
    await count(3);
    const moved = await call('GET', '/v1/overview', { token: owner.token, headers: { 'if-none-match': after.headers.get('etag')! } });
    expect(moved.status).toBe(200);
  });

  it('answers 304 to If-None-Match with the current ETag, and 200 once something changed', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-etag');
    const first = await call<{ cursor: string }>('GET', '/v1/overview', { token: owner.token });
    const etag = first.headers.get('etag')!;
    // The cursor is the validator: every change the body shows moves it.
    expect(etag).toBe(`"${first.body.cursor}-${owner.workspaceId}"`);
    const again = await call('GET', '/v1/overview', { token: owner.token, headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    await record(owner, store.id, 5_000, 0.001, 1);
    const changed = await call('GET', '/v1/overview', { token: owner.token, headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('changes its ETag for everything the body shows: a store renamed, a newer reading, a removed store', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-etag-all');
    const second = await addStore(owner, 'Atzr|good-etag-two');
    await record(owner, store.id, 5_000, 0.001, 1);
    const tags = [(await call('GET', '/v1/overview', { token: owner.token })).headers.get('etag')];
    await call('PATCH', `/v1/stores/${store.id}`, { token: owner.token, body: { name: 'Renamed' } });
    tags.push((await call('GET', '/v1/overview', { token: owner.token })).headers.get('etag'));
    await record(owner, store.id, 6_000, 0.001, 1);
    tags.push((await call('GET', '/v1/overview', { token: owner.token })).headers.get('etag'));
    await call('DELETE', `/v1/stores/${second.id}`, { token: owner.token });
    const last = await call('GET', '/v1/overview', { token: owner.token, headers: { 'if-none-match': tags.at(-1)! } });
    expect(last.status).toBe(200);
    tags.push(last.headers.get('etag'));
    expect(new Set(tags).size).toBe(4);
    expect(JSON.parse(last.text).stores.map((s: { name: string }) => s.name)).toEqual(['Renamed']);
  });
});

describe('GET /v1/stores/:id/marketplaces/:marketplaceId', () => {
  it('gives every metric with Amazon status, counts and the parsed report of the newest reading', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-detail');
    await record(owner, store.id, 1_000, 0.002, 2);
    await record(owner, store.id, 2_000, 0.003, 3);
    const res = await call<Record<string, unknown>>('GET', `/v1/stores/${store.id}/marketplaces/${US}`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      storeId: store.id,
      accountStatusRaw: 'NORMAL',
      warningStates: [],
      takenAt: 2_000,
      report: { marketplaceId: US, metrics: { odrMfn: { value: 0.003 } } },
      marketplace: {
        marketplaceId: US,
        countryCode: 'US',
        accountStatus: 'NORMAL',
        fetchedAt: 3_000,
        metrics: { odrMfn: { value: 0.003, level: 'ok', amazonStatus: 'GOOD', counts: { total: 1000, defects: 3 }, window: { from: '2026-01-09T00:00:00Z', to: '2026-03-09T00:00:00Z' } } },
      },
    });
  });

  it('answers 404 for a marketplace the store does not sell in, and an empty reading before the first', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-detail-none');
    expect((await call('GET', `/v1/stores/${store.id}/marketplaces/A1F83G8C2ARO7P`, { token: owner.token })).status).toBe(404);
    const none = await call('GET', `/v1/stores/${store.id}/marketplaces/${US}`, { token: owner.token });
    expect(none.body).toMatchObject({ takenAt: null, report: null, marketplace: { marketplaceId: US, level: 'unknown', fetchedAt: null } });
  });
});

describe('GET /v1/stores/:id/history', () => {
  it('gives one metric over time, oldest first, from `since`', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-history');
    await record(owner, store.id, 1_000, 0.002, 2);
    await record(owner, store.id, 2_000, 0.009, 9);
    await record(owner, store.id, 3_000, 0.012, 12);
    const res = await call('GET', `/v1/stores/${store.id}/history?marketplaceId=${US}&metric=odrMfn&since=1500`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      points: [
        { takenAt: 2_000, value: 0.009, level: 'warn' },
        { takenAt: 3_000, value: 0.012, level: 'breach' },
      ],
    });
  });

  it("gives the Account Health Rating's score over time as `metric=ahr`, coloured like the detail", async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-history-ahr');
    await record(owner, store.id, 1_000, 0.002, 2, { status: 'GREAT', score: 980 });
    await record(owner, store.id, 2_000, 0.009, 9, { status: 'AT_RISK', score: 180 });
    await record(owner, store.id, 3_000, 0.012, 12, { status: null, score: null });
    const res = await call('GET', `/v1/stores/${store.id}/history?marketplaceId=${US}&metric=ahr&since=0`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      points: [
        { takenAt: 1_000, value: 980, level: 'ok' },
        { takenAt: 2_000, value: 180, level: 'warn' },
        { takenAt: 3_000, value: null, level: 'unknown' },
      ],
    });
    const other = await setupWorkspace();
    expect((await call('GET', `/v1/stores/${store.id}/history?marketplaceId=${US}&metric=ahr`, { token: other.token })).status).toBe(404);
  });

  it('gives nulls for a metric the snapshots do not carry', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-history-2');
    await record(owner, store.id, 1_000, 0.002, 2);
    const res = await call('GET', `/v1/stores/${store.id}/history?marketplaceId=${US}&metric=lateShipmentRate&since=0`, { token: owner.token });
    expect(res.body).toEqual({ points: [{ takenAt: 1_000, value: null, level: 'unknown' }] });
  });
});
