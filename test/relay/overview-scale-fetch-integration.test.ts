/**
 * The overview at agency scale (issue 15): 500 stores x 3 marketplaces seeded through the storage
 * modules (relay/db/stores.ts, snapshot rows as the pipeline writes them), and delta sync by cursor.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { OverviewResponse } from '../../shared/api/overview.ts';
import { evaluate } from '../../shared/evaluate.ts';
import { parseSellerPerformanceReport } from '../../shared/report-parser.ts';
import { resolveThresholds } from '../../shared/thresholds.ts';
import { touchStoreStatements } from '../../relay/db/overview-changes.ts';
import { insertStore } from '../../relay/db/stores.ts';
import { buildReport } from '../support/report-documents.ts';
import { insertSnapshotStatement } from './helpers/snapshot-rows.ts';
import { addStore, call, setupWorkspace, type Workspace } from './helpers/relay-client.ts';

// As a store added through POST /v1/stores has them: the Sellers API names the store and says
// whether listings are suspended in every marketplace (the independent stand-in's 500-store run
// found the overview over budget once these were carried; bench/refresh-all.ts).
const MARKETPLACES = [
  { marketplaceId: 'ATVPDKIKX0DER', countryCode: 'US', storeName: 'Shenzhen Lumora Home Goods', hasSuspendedListings: false },
  { marketplaceId: 'A2EUQ1WTGCTBG2', countryCode: 'CA', storeName: 'Shenzhen Lumora Home Goods', hasSuspendedListings: false },
  { marketplaceId: 'A1AM78C64UM0Y8', countryCode: 'MX', storeName: 'Shenzhen Lumora Home Goods', hasSuspendedListings: false },
];
const OVERVIEW_BUDGET_BYTES = 300 * 1024;

/** A reading with figures that differ from store to store, some near or over a target, as real ones do. */
function reading(store: number, m: number, marketplaceId: string) {
  const orders = 300 + store * 10;
  const parsed = parseSellerPerformanceReport(
    buildReport({ marketplaceId, odrMfn: { defects: store % 7, orders }, late: { late: store % 5, orders }, violations: (store + m) % 3 === 0 ? 1 : 0 }),
  );
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.marketplaces[0]!;
}

async function seedWorkspace(owner: Workspace, stores: number, now: number): Promise<string[]> {
  const ids: string[] = [];
  for (let s = 0; s < stores; s++) {
    const id = crypto.randomUUID();
    ids.push(id);
    await insertStore(
      env.DB,
      { id, workspaceId: owner.workspaceId, name: `深圳跨境贸易 Store ${s}`, region: 'na', sellerId: null, token: { ciphertext: 'c', iv: 'iv', keyId: 'k' }, marketplaces: MARKETPLACES },
      now,
    );
  }
  const rows = ids.flatMap((storeId, s) =>
    MARKETPLACES.map(({ marketplaceId }, m) => {
      const content = reading(s, m, marketplaceId);
      return insertSnapshotStatement(env.DB, {
        id: crypto.randomUUID(),
        workspaceId: owner.workspaceId,
        storeId,
        marketplaceId,
        takenAt: now,
        fetchedAt: now,
        content,
        evaluation: evaluate(content, resolveThresholds({}, storeId, marketplaceId)),
      });
    }),
  );
  for (let i = 0; i < rows.length; i += 100) await env.DB.batch(rows.slice(i, i + 100));
  return ids;
}

const overview = (owner: Workspace, since?: string) => call<Record<string, unknown>>('GET', `/v1/overview${since ? `?since=${since}` : ''}`, { token: owner.token });

describe('GET /v1/overview with 500 stores x 3 marketplaces', () => {
  it('stays within 300 KB before compression and reads back as the full shape', async () => {
    const owner = await setupWorkspace('Agency');
    await seedWorkspace(owner, 500, 1_765_000_000_000);
    const res = await overview(owner);
    expect(res.status).toBe(200);
    const bytes = new TextEncoder().encode(res.text).byteLength;
    console.info(`overview of 500 stores x 3 marketplaces: ${bytes} bytes`);
    expect(bytes).toBeLessThanOrEqual(OVERVIEW_BUDGET_BYTES);
    const parsed = v.parse(OverviewResponse, res.body);
    expect(parsed.stores).toHaveLength(500);
    expect(parsed.stores.flatMap((s) => s.marketplaces).filter((m) => m.level !== 'unknown')).toHaveLength(1500);
    // What the wire leaves out comes back filled in: the country code, the status, the catalog target.
    const flagged = parsed.stores.flatMap((s) => s.marketplaces).find((m) => m.metrics.listingPolicyViolations !== undefined);
    expect(flagged).toMatchObject({ countryCode: expect.stringMatching(/^(US|CA|MX)$/), accountStatus: 'NORMAL' });
    expect(flagged!.metrics.listingPolicyViolations).toEqual({
      value: 1,
      level: 'warn',
      headroom: null,
      target: { value: 0, condition: 'EQUALS' },
      window: { from: '2026-09-24T00:00Z', to: '2026-11-22T23:59Z' },
    });
    // A healthy marketplace lists no metric at all: the detail route has them.
    expect(parsed.stores.flatMap((s) => s.marketplaces).some((m) => m.level === 'ok' && Object.keys(m.metrics).length === 0)).toBe(true);
  }, 120_000);
});

describe('GET /v1/overview?since=<cursor>', () => {
  it('lists no store for an unchanged workspace', async () => {
    const owner = await setupWorkspace();
    await addStore(owner, 'Atzr|good-delta-empty');
    const first = await overview(owner);
    const cursor = first.body.cursor as string;
    const again = await overview(owner, cursor);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ full: false, stores: [], removed: [], cursor });
  });

  it('lists only the stores changed since, with the ids of removed ones, and a new cursor', async () => {
    const owner = await setupWorkspace();
    const renamed = await addStore(owner, 'Atzr|good-delta-a', 'na', 'A');
    const read = await addStore(owner, 'Atzr|good-delta-b', 'na', 'B');
    const removed = await addStore(owner, 'Atzr|good-delta-c', 'na', 'C');
    await addStore(owner, 'Atzr|good-delta-d', 'na', 'D');
    const cursor = (await overview(owner)).body.cursor as string;

    await call('PATCH', `/v1/stores/${renamed.id}`, { token: owner.token, body: { name: 'A renamed' } });
    // A new reading, written with its stamp as the pipeline writes it (relay/pipeline/snapshots.ts).
    const content = reading(3, 0, 'ATVPDKIKX0DER');
    await env.DB.batch([
      insertSnapshotStatement(env.DB, { id: crypto.randomUUID(), workspaceId: owner.workspaceId, storeId: read.id, marketplaceId: 'ATVPDKIKX0DER', takenAt: 10, fetchedAt: 10, content, evaluation: evaluate(content, resolveThresholds({}, read.id, 'ATVPDKIKX0DER')) }),
      ...touchStoreStatements(env.DB, owner.workspaceId, read.id),
    ]);
    await call('DELETE', `/v1/stores/${removed.id}`, { token: owner.token });

    const delta = await overview(owner, cursor);
    const body = v.parse(OverviewResponse, delta.body);
    expect(body.full).toBe(false);
    expect(body.stores.map((s) => s.name).sort()).toEqual(['A renamed', 'B']);
    expect(body.stores.find((s) => s.name === 'B')!.marketplaces.find((m) => m.marketplaceId === 'ATVPDKIKX0DER')!.fetchedAt).toBe(10);
    expect(body.removed).toEqual([removed.id]);
    expect(body.cursor).not.toBe(cursor);
    expect((await overview(owner, body.cursor!)).body).toMatchObject({ stores: [], removed: [] });
  });

  it('answers in full to a cursor of another format or from the future', async () => {
    const owner = await setupWorkspace();
    await addStore(owner, 'Atzr|good-delta-full');
    for (const since of ['1.0', '2.999999']) {
      const res = await overview(owner, since);
      expect(res.body).toMatchObject({ full: true, stores: [expect.objectContaining({ name: 'Acme US' })] });
    }
    expect((await overview(owner, 'not-a-cursor')).status).toBe(400);
  });

  it('answers one store alone for ?store=, without a cursor, and names it removed when it is gone', async () => {
    const owner = await setupWorkspace();
    const mine = await addStore(owner, 'Atzr|good-only-a', 'na', 'Mine');
    await addStore(owner, 'Atzr|good-only-b', 'na', 'Other');
    const res = await call<Record<string, unknown>>('GET', `/v1/overview?store=${mine.id}`, { token: owner.token });
    expect(res.body).toMatchObject({ full: false, stores: [expect.objectContaining({ id: mine.id, name: 'Mine' })], removed: [], cursor: null });
    expect((res.body.stores as unknown[]).length).toBe(1);
    await call('DELETE', `/v1/stores/${mine.id}`, { token: owner.token });
    expect((await call('GET', `/v1/overview?store=${mine.id}`, { token: owner.token })).body).toEqual({ full: false, stores: [], removed: [mine.id], cursor: null });
  });

  it('is stamped by a store deleted in another workspace never', async () => {
    const owner = await setupWorkspace();
    const other = await setupWorkspace('Other');
    await addStore(owner, 'Atzr|good-delta-own');
    const theirs = await addStore(other, 'Atzr|good-delta-theirs');
    const cursor = (await overview(owner)).body.cursor as string;
    await call('DELETE', `/v1/stores/${theirs.id}`, { token: other.token });
    expect((await overview(owner, cursor)).body).toMatchObject({ stores: [], removed: [] });
  });
});
