/**
 * The whole stack against the independent Amazon stand-in (test/standin/), not the sandbox the relay
 * was built against: 30 stores of 3 North American marketplaces each, reports that take 1-3 s, 3 %
 * of SP-API calls failing with 500/503 and the published token buckets refusing with 429 (five
 * sellers' getReport buckets spent by another client just as the refresh starts). One
 * refresh of all must bring every marketplace's numbers - the very numbers the stand-in served - and
 * afterwards the overview by cursor must list nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { feedbackRows } from '../standin/feedback-report.ts';
import { marketplaceHealth, rateOf } from '../standin/health.ts';
import { CA, MX, US } from '../standin/marketplaces.ts';
import { type OverviewStore, type RefreshAllResult, type RefreshAllStack, overview, profileFor, refreshAllUntilData, startRefreshAllStack } from '../standin/refresh-all.ts';

const STORES = 30;
let run: RefreshAllStack;
let result: RefreshAllResult;

beforeAll(async () => {
  run = await startRefreshAllStack({ stores: STORES, generationMs: [1000, 3000], faultRate: 0.03, seed: 15 });
  // Another client of the same app has just spent five sellers' getReport bursts: the relay's
  // status checks for them meet 429 until the buckets refill (2 a second).
  const drained = [...run.stores.values()].slice(0, 5);
  result = await refreshAllUntilData(run, 500, 90_000, { afterPress: () => drained.forEach((s) => run.standIn.drainBucket(s.sellerId, 'getReport')) });
}, 170_000);

afterAll(async () => {
  await run?.close();
});

describe('refresh all against the independent Amazon stand-in', () => {
  it('brings data for every marketplace of every store, through 429s and 5xx', () => {
    expect(result.withData).toBe(STORES);
    const { throttled, faults } = run.standIn.stats;
    // The faults were on: calls were refused with 429 and 500/503, and the relay got past them.
    expect(throttled.getReport).toBeGreaterThan(0);
    expect(Object.values(faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('shows the Order Defect Rate counts, Amazon status and account status the stand-in served, breach and warning levels where they belong', async () => {
    const shown: unknown[] = [];
    const served: unknown[] = [];
    for (const [storeId, seller] of run.stores) {
      expect([US, CA, MX].filter((m) => !run.standIn.stats.served.has(`${seller.sellerId}/${m}`))).toEqual([]);
      const amazon = run.standIn.stats.served.get(`${seller.sellerId}/${US}`)!;
      const profile = profileFor(Number(seller.sellerId.slice(-8)));
      const breached = profile === 'breach';
      // Our level: a breach where Amazon says BAD, a warning from 75 % of the target (docs/levels.md).
      const level = breached ? 'breach' : profile === 'near' ? 'warn' : 'ok';
      const detail = (await run.stack.owner.call('GET', `/v1/stores/${storeId}/marketplaces/${US}`)) as {
        marketplace: { accountStatus: string; metrics: Record<string, { value: number; level: string; amazonStatus?: string; counts?: Record<string, number> }> };
      };
      const odr = detail.marketplace.metrics.odrMfn;
      shown.push([seller.sellerId, odr?.counts?.total, odr?.counts?.defects, Math.round((odr?.value ?? -1) * 1e6) / 1e6, odr?.amazonStatus, odr?.level, detail.marketplace.accountStatus]);
      served.push([seller.sellerId, amazon.odrMfn.total, amazon.odrMfn.count, rateOf(amazon.odrMfn), breached ? 'BAD' : 'GOOD', level, breached ? 'AT_RISK' : 'NORMAL']);
    }
    expect(shown).toEqual(served);
  });

  it('lists no store when the unchanged workspace is asked for what changed since its cursor', async () => {
    const full = await overview(run.stack);
    expect(full.stores).toHaveLength(STORES);
    const delta = await overview(run.stack, full.cursor ?? undefined);
    expect(delta.full).toBe(false);
    expect(delta.stores).toEqual([]);
  });

  it("counts the negative feedback of the stand-in's tab-separated feedback report once the cron asks for it", async () => {
    // The cron schedules every store's first feedback report (next_feedback_at starts at 0).
    await run.stack.tick();
    const usCount = (store: OverviewStore) => store.marketplaces.find((m) => m.marketplaceId === US)?.negativeFeedback?.count ?? null;
    let stores = (await overview(run.stack)).stores;
    for (let i = 0; i < 120 && stores.some((s) => usCount(s) === null); i++) {
      await sleep(500);
      stores = (await overview(run.stack)).stores;
    }
    const DAY = 86_400_000;
    const now = Date.now();
    const expected = stores.map((s) => {
      const seller = run.stores.get(s.id)!;
      const rows = feedbackRows(seller.sellerId, US, marketplaceHealth(seller.sellerId, US, seller.health[US] ?? 'ok'), now);
      // 1-2 stars inside the 60-day ODR window (the stand-in dates its rows 1, 8, 15, ... days back).
      return [s.id, rows.filter((r) => r.rating <= 2 && r.at > now - 59 * DAY).length];
    });
    expect(stores.map((s) => [s.id, usCount(s)])).toEqual(expected);
    expect(expected.some(([, n]) => Number(n) > 0)).toBe(true);
  });
});
