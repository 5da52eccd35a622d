import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { preloadOnDemand } from '../../extension/components/on-demand.ts';
import type { StoreOverview } from '../../shared/api/index.ts';
import { PopupApp } from '../../extension/entrypoints/popup/popup-app.tsx';
import { INITIAL_SYNC, type JobProgress, type SyncState } from '../../extension/lib/cache/cache-db.ts';
import { connectionOf, isDataStale } from '../../extension/lib/derive/freshness.ts';
import { storesWorstFirst } from '../../extension/lib/derive/levels.ts';
import { createHealthModel, popupView } from '../../extension/lib/models/health-model.ts';
import type { HealthData, HealthSource } from '../../extension/lib/models/health-source.ts';
import { NOW, alert, market, metric, store, threeStores } from './helpers/overview-fixtures.ts';
import { buttonNamed, mount, settle, texts } from './helpers/render.tsx';

// The popup loads these after its first paint (main.tsx); the tests start with them loaded.
beforeAll(() => preloadOnDemand());

const synced: SyncState = { ...INITIAL_SYNC, status: 'ok', etag: '"v1"', lastAttemptAt: NOW - 60_000, lastSuccessAt: NOW - 60_000, nextAttemptAt: NOW + 240_000 };

function data(patch: Partial<HealthData> = {}): HealthData {
  return { stores: threeStores(), alerts: [], sync: synced, jobs: [], paired: true, ...patch };
}

/** A HealthSource over a value the test changes, announcing changes like storage.onChanged would. */
function fakeSource(initial: HealthData) {
  let current = initial;
  const listeners = new Set<() => void>();
  const source: HealthSource = {
    load: async () => current,
    history: async () => [],
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    refresh: vi.fn<HealthSource['refresh']>(async () => ({ ok: true })),
    ack: vi.fn<HealthSource['ack']>(async () => ({ ok: true })),
    sync: vi.fn<HealthSource['sync']>(async () => undefined),
  };
  return {
    source,
    change(next: HealthData) {
      current = next;
      for (const l of listeners) l();
    },
  };
}

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

async function popup(initial: HealthData, language: 'en' | 'zh-CN' = 'en', profileStoreId: string | null = null) {
  const fake = fakeSource(initial);
  const model = createHealthModel(fake.source, () => NOW);
  const openOptions = vi.fn<() => void>();
  const view = mount(<PopupApp model={model} language="auto" onLanguage={() => undefined} openOptions={openOptions} profileStoreId={profileStoreId} />, language);
  unmount = view.unmount;
  model.start();
  await settle();
  return { ...fake, model, root: view.root, openOptions };
}

describe('popup derivations', () => {
  it('orders stores worst first, then by name', () => {
    expect(storesWorstFirst(threeStores()).map((s) => s.name)).toEqual(['Cedar Outdoor', 'Birch Kitchen', 'Alpha Home']);
  });

  it('calls the numbers stale when the report is over a day old, or was never fetched', () => {
    expect(isDataStale(NOW - 25 * 3_600_000, NOW)).toBe(true);
    expect(isDataStale(NOW - 3_600_000, NOW)).toBe(false);
    expect(isDataStale(null, NOW)).toBe(true);
  });

  it('treats an "ok" sync that is half an hour old as offline: the worker has not been running', () => {
    expect(connectionOf(synced, NOW).kind).toBe('online');
    expect(connectionOf(synced, NOW + 31 * 60_000).kind).toBe('offline');
  });

  it('picks the whole-screen state from pairing, stores and sync status', () => {
    expect(popupView(null)).toBe('loading');
    expect(popupView(data({ paired: false }))).toBe('not-paired');
    expect(popupView(data({ stores: [], sync: INITIAL_SYNC }))).toBe('loading');
    expect(popupView(data({ stores: [], sync: { ...synced, status: 'offline' } }))).toBe('offline-empty');
    expect(popupView(data({ stores: [], sync: { ...synced, status: 'unauthorized' } }))).toBe('unauthorized');
    expect(popupView(data({ stores: [] }))).toBe('empty');
    expect(popupView(data({ sync: { ...synced, status: 'offline' } }))).toBe('ready');
  });
});

describe('popup', () => {
  it('renders the cached stores worst first with marketplace chips coloured by level', async () => {
    const { root } = await popup(data());
    expect(texts(root, '.sw-store-name')).toEqual(['Cedar Outdoor', 'Birch Kitchen', 'Alpha Home']);
    const chips = [...root.querySelectorAll('[data-store-id="s-breach"] .sw-chip')];
    expect(chips.map((c) => c.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['DE', 'US']);
    expect(chips[0]?.className).toContain('sw-breach');
    expect(root.textContent).toContain('2 of 3 stores need attention');
  });

  it('tells a person who has not paired to open the options, and opens them', async () => {
    const { root, openOptions } = await popup(data({ paired: false, stores: [] }));
    expect(root.textContent).toContain('Connect to your relay');
    buttonNamed(root, 'Open options').click();
    expect(openOptions).toHaveBeenCalled();
  });

  it('says it is loading while the first sync after pairing runs', async () => {
    const { root } = await popup(data({ stores: [], sync: INITIAL_SYNC }));
    expect(root.querySelector('[role="status"]')?.textContent).toContain('Loading');
  });

  it('says the relay is unreachable when there is nothing cached to show', async () => {
    const { root } = await popup(data({ stores: [], sync: { ...synced, status: 'offline', lastSuccessAt: null } }));
    expect(root.textContent).toContain('Relay unreachable');
  });

  it('says there are no stores yet, and how to add one, for an empty workspace', async () => {
    const { root } = await popup(data({ stores: [] }));
    expect(root.textContent).toContain('No stores yet');
  });

  it('keeps showing the cached stores under an offline banner when the relay is down', async () => {
    const { root } = await popup(data({ sync: { ...synced, status: 'offline', failures: 2, nextAttemptAt: NOW + 60_000 } }));
    expect(texts(root, '.sw-store-name')).toHaveLength(3);
    expect(root.querySelector('.sw-banner-offline')?.textContent).toMatch(/Relay unreachable - showing cached data · last sync \d\d:\d\d/);
  });

  it("shows a store's own profile that store first and alone, the others one tap away", async () => {
    const { root } = await popup(data(), 'en', 's-ok');
    expect(texts(root, '.sw-store-name')).toEqual(['Alpha Home']);
    buttonNamed(root, 'Show all stores (2 more)').click();
    await settle();
    expect(texts(root, '.sw-store-name')).toEqual(['Cedar Outdoor', 'Birch Kitchen', 'Alpha Home']);
  });

  it("never links to another store's Seller Central in a store's profile, saying where to open it instead", async () => {
    const { root } = await popup(data(), 'en', 's-ok');
    root.querySelector<HTMLButtonElement>('[data-store-id="s-ok"] .sw-chip')?.click();
    await settle();
    expect(root.querySelector('[data-store-id="s-ok"] a.sw-link')?.getAttribute('href')).toBe('https://sellercentral.amazon.com/performance/dashboard');
    buttonNamed(root, 'Show all stores (2 more)').click();
    await settle();
    root.querySelector<HTMLButtonElement>('[data-store-id="s-breach"] .sw-chip')?.click();
    await settle();
    expect(root.querySelector('[data-store-id="s-breach"] a.sw-link')).toBeNull();
    expect(root.querySelector('[data-store-id="s-breach"] .sw-open-elsewhere')?.textContent).toBe("Open it in that store's own browser profile");
  });

  it('opens a marketplace to show each metric with value, target, Amazon status, window and headroom in words', async () => {
    const { root } = await popup(data());
    const de = root.querySelector<HTMLButtonElement>('[data-store-id="s-breach"] .sw-chip');
    de?.click();
    await settle();
    const first = root.querySelector('.sw-metric');
    expect(first?.className).toContain('sw-breach');
    const text = first?.textContent ?? '';
    expect(text).toContain('0.4%');
    expect(text).toContain('< 1%');
    expect(text).toContain('Amazon: Bad');
    expect(text).toContain('Window:');
    expect(root.querySelector('.sw-headroom')?.textContent).toContain('over the limit');
  });

  it("marks a metric the report could not read as unknown, with the parser's reason as its tooltip", async () => {
    const problem = 'performanceMetrics[0].orderDefectRate.mfn.rate is "0.0031", expected a number.';
    const broken = market('ATVPDKIKX0DER', 'US', 'ok', {
      metrics: { odrMfn: metric('unknown', { value: null, amazonStatus: 'UNKNOWN', problem }), lateShipmentRate: metric('ok') },
    });
    const { root } = await popup(data({ stores: [store('s-x', 'Delta Goods', [broken])] }));
    root.querySelector<HTMLButtonElement>('[data-store-id="s-x"] .sw-chip')?.click();
    await settle();
    const unreadable = root.querySelector('.sw-metric.sw-unknown .sw-problem');
    expect(unreadable?.textContent).toBe('Could not be read from the report');
    expect(unreadable?.getAttribute('title')).toBe(problem);
    expect(root.querySelectorAll('.sw-metric')).toHaveLength(2);
  });

  it('words the headroom of a metric at warn as the alerts do: how many more defects until it breaks', async () => {
    const { root } = await popup(data());
    root.querySelector<HTMLButtonElement>('[data-store-id="s-warn"] .sw-chip')?.click();
    await settle();
    expect(root.querySelector('.sw-headroom')?.textContent).toBe('2 more defective orders and ODR (MFN) breaks');
  });

  it('updates live when the background writes a new overview', async () => {
    const { root, change } = await popup(data());
    const better: StoreOverview[] = threeStores().filter((s) => s.id !== 's-breach');
    change(data({ stores: better }));
    await settle();
    expect(texts(root, '.sw-store-name')).toEqual(['Birch Kitchen', 'Alpha Home']);
  });

  it('asks the background to refresh one store, and shows the job as it progresses', async () => {
    const { root, source, change } = await popup(data());
    buttonNamed(root, 'Refresh Cedar Outdoor').click();
    expect(source.refresh).toHaveBeenCalledWith('s-breach');
    const job: JobProgress = { storeId: 's-breach', jobId: 'j1', state: 'waiting', error: null, updatedAt: NOW };
    change(data({ jobs: [job] }));
    await settle();
    expect(root.querySelector('[data-store-id="s-breach"]')?.textContent).toContain('Amazon is generating the report');
  });

  it("shows why a refresh failed in words, never the relay's English sentence", async () => {
    const { root, change } = await popup(data());
    change(data({ jobs: [{ storeId: 's-warn', jobId: 'j2', state: 'failed', error: 'Amazon ended the report FATAL; it will be requested again at the next poll', updatedAt: NOW }] }));
    await settle();
    expect(root.querySelector('[data-store-id="s-warn"] .sw-job-text')?.textContent).toBe(
      'Failed: Amazon did not produce the report (asked too often, or no data); the next scheduled check asks again',
    );
  });

  it('refreshes every store from the header', async () => {
    const { root, source } = await popup(data());
    buttonNamed(root, 'Refresh all').click();
    expect(source.refresh).toHaveBeenCalledWith(null);
  });

  it('lists alerts and acknowledges one through the background', async () => {
    const { root, source } = await popup(data({ alerts: [alert('a1', NOW - 120_000)] }));
    expect(root.querySelectorAll('.sw-alert')).toHaveLength(1);
    buttonNamed(root, 'Acknowledge').click();
    expect(source.ack).toHaveBeenCalledWith('a1');
  });

  it('reads in Chinese on a zh-CN browser', async () => {
    const { root } = await popup(data(), 'zh-CN');
    expect(root.textContent).toMatch(/[\u4e00-\u9fff]/);
    expect(root.textContent).not.toContain('stores need attention');
  });

  it('asks the background for a sync once its cached first paint is on screen', async () => {
    const { source } = await popup(data());
    expect(source.sync).toHaveBeenCalledTimes(1);
  });
});
