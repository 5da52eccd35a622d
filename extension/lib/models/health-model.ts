/**
 * The popup's state as signals over a HealthSource: what to show (loading, not paired, empty,
 * offline, the stores worst first), which marketplace is open with its history, and the actions.
 * Derivations are the pure functions of lib/derive, wrapped in `computed`.
 */
import { batch, computed, signal } from '@preact/signals';
import type { HistorySeries, JobProgress } from '../cache/cache-db.ts';
import { openAlerts } from '../derive/alert-feed.ts';
import { type Connection, connectionOf } from '../derive/freshness.ts';
import { visibleJobs } from '../derive/job-progress.ts';
import { isAtRisk, storeLevel } from '../derive/levels.ts';
import { storesByUrgency } from '../derive/urgency.ts';
import type { HealthData, HealthSource } from './health-source.ts';

export type PopupView = 'loading' | 'not-paired' | 'unauthorized' | 'offline-empty' | 'empty' | 'ready';

/** Which whole-screen state the popup is in; `ready` may still carry an offline banner. */
export function popupView(data: HealthData | null): PopupView {
  if (!data) return 'loading';
  if (!data.paired) return 'not-paired';
  if (data.stores.length) return 'ready';
  switch (data.sync.status) {
    case 'never':
    case 'unpaired':
      return 'loading';
    case 'unauthorized':
      return 'unauthorized';
    case 'offline':
    case 'error':
      return 'offline-empty';
    case 'ok':
      return 'empty';
  }
}

/** The latest job per store (and '*' for a "refresh all" not yet split per store). */
export function jobsByStore(jobs: readonly JobProgress[], now: number): Map<string, JobProgress> {
  return new Map(visibleJobs(jobs, now).map((j) => [j.storeId, j]));
}

/**
 * Store cards in the first frame: a popup shows five or six, so the first paint need not wait for
 * fifty; the rest follow once that frame is on screen (`revealAll`, popup/main.tsx).
 */
export const FIRST_SCREEN_STORES = 12;

export function createHealthModel(source: HealthSource, now: () => number) {
  const data = signal<HealthData | null>(null);
  const shown = signal(FIRST_SCREEN_STORES);
  const clock = signal(now());
  const open = signal<{ storeId: string; marketplaceId: string } | null>(null);
  const history = signal<HistorySeries[] | null>(null);
  const error = signal<string | null>(null);

  const view = computed(() => popupView(data.value));
  const stores = computed(() => storesByUrgency(data.value?.stores ?? []));
  const atRisk = computed(() => stores.value.filter((s) => isAtRisk(storeLevel(s))).length);
  const connection = computed<Connection>(() => (data.value ? connectionOf(data.value.sync, clock.value) : { kind: 'connecting' }));
  const jobs = computed(() => jobsByStore(data.value?.jobs ?? [], clock.value));
  const openCount = computed(() => openAlerts(data.value?.alerts ?? []).length);

  async function loadHistory(): Promise<void> {
    const o = open.value;
    if (!o) return;
    const series = await source.history(o.storeId, o.marketplaceId);
    // The person may have opened another marketplace meanwhile.
    if (open.value === o) history.value = series;
  }

  async function reload(): Promise<void> {
    const next = await source.load();
    batch(() => {
      data.value = next;
      clock.value = now();
    });
    await loadHistory();
  }

  function report(result: { ok: boolean; error?: string }): void {
    // A failure code (lib/i18n/failure-text.ts), worded by the surface.
    error.value = result.ok ? null : (result.error ?? 'extension_error');
  }

  return {
    data,
    clock,
    open,
    history,
    error,
    view,
    stores,
    atRisk,
    connection,
    jobs,
    openCount,
    shown,
    reload,
    revealAll(): void {
      shown.value = Number.POSITIVE_INFINITY;
    },
    /** First load, then live: the returned function stops listening. */
    start(): () => void {
      const stop = source.subscribe(() => void reload().catch(() => (error.value = 'extension_error')));
      void reload()
        .then(() => source.sync())
        .catch(() => (error.value = 'extension_error'));
      return stop;
    },
    tick(): void {
      clock.value = now();
    },
    toggle(storeId: string, marketplaceId: string): void {
      const o = open.value;
      batch(() => {
        open.value = o && o.storeId === storeId && o.marketplaceId === marketplaceId ? null : { storeId, marketplaceId };
        history.value = null;
      });
      void loadHistory().catch(() => undefined);
    },
    /** Opens a marketplace (no toggling): the panel shows the one the page is about. */
    show(storeId: string, marketplaceId: string): void {
      const o = open.value;
      if (o && o.storeId === storeId && o.marketplaceId === marketplaceId) return;
      batch(() => {
        open.value = { storeId, marketplaceId };
        history.value = null;
      });
      void loadHistory().catch(() => undefined);
    },
    async refresh(storeId: string | null): Promise<void> {
      report(await source.refresh(storeId).catch(() => ({ ok: false as const, error: 'extension_error' })));
    },
    async ack(alertId: string): Promise<void> {
      report(await source.ack(alertId).catch(() => ({ ok: false as const, error: 'extension_error' })));
    },
  };
}

export type HealthModel = ReturnType<typeof createHealthModel>;
