/**
 * A report document that inflates to 400 MB (the sandbox's `gzip-bomb` fault, gzipped on the fly
 * as the relay reads it - test/sandbox/report-download.ts): the job fails with a reason naming the
 * cap, the previous data stays, and the relay keeps working.
 */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { MarketplaceEvaluation } from '../../shared/types.ts';
import { loadJob } from '../../relay/pipeline/jobs-db.ts';
import { MAX_INFLATED_BYTES } from '../../relay/amazon/report-document.ts';
import { type SandboxWorld, count, sandboxWorld } from './helpers/sandbox-world.ts';

async function latestEvaluation(w: SandboxWorld, marketplaceId: string): Promise<MarketplaceEvaluation> {
  const row = await w.env.DB.prepare('SELECT evaluation FROM snapshots WHERE store_id = ? AND marketplace_id = ? ORDER BY taken_at DESC LIMIT 1').bind(w.storeId, marketplaceId).first<{ evaluation: string }>();
  return JSON.parse(row!.evaluation) as MarketplaceEvaluation;
}

describe('report downloads past the size caps', () => {
  it('fails the job of a document that inflates to 400 MB with a reason naming the cap, keeps the previous data, and goes on', async () => {
    const w = await sandboxWorld('na');
    await w.poll();
    const bombed = w.seller.marketplaces.map((m) => m.id).sort()[0]!; // the first document the job downloads
    const previous = await latestEvaluation(w, bombed);
    await w.control('POST', '/_sandbox/metrics', { sellerId: w.seller.sellerId, marketplaceId: bombed, metric: 'lateShipmentRate', defects: 9, total: 300 });
    await w.control('POST', '/_sandbox/faults', { sellerId: w.seller.sellerId, fault: 'gzip-bomb', inflatesTo: 400 * 1024 * 1024 });
    await w.advance(60_000);

    const jobId = await w.poll();
    const job = (await loadJob(w.env.DB, jobId))?.job;
    expect(job).toMatchObject({ state: 'failed', error: `the report document inflates past ${MAX_INFLATED_BYTES / (1024 * 1024)} MB; reading stopped there; the previous data is kept` });
    expect(await latestEvaluation(w, bombed)).toEqual(previous);
    expect(await count('SELECT COUNT(*) AS n FROM snapshots WHERE store_id = ? AND marketplace_id = ?', w.storeId, bombed)).toBe(1);

    // The relay keeps serving, and the next poll reads the change the bomb hid.
    const health = await exports.default.fetch('https://relay.test/healthz');
    expect(health.status).toBe(200);
    await w.advance(60 * 60_000);
    const next = await w.poll();
    expect((await loadJob(w.env.DB, next))?.job).toMatchObject({ state: 'done', error: null });
    expect(await count('SELECT COUNT(*) AS n FROM snapshots WHERE store_id = ? AND marketplace_id = ?', w.storeId, bombed)).toBe(2);
  });
});
