/**
 * The stores a fake relay serves in the extension's tests, shaped by the shared contract
 * (shared/api/overview.ts): one store at warn, one at breach, one healthy, across the three
 * regions, with a unified-European-host store for the marketplace picker.
 */
import type { AlertView, MetricOverview, StoreOverview } from '../../../shared/api/index.ts';

const DAY = 86_400_000;

function window(days: number, now: number) {
  return { from: new Date(now - days * DAY).toISOString(), to: new Date(now).toISOString() };
}

export function rate(value: number, target: number, level: MetricOverview['level'], headroom: number | null, counts: Record<string, number>, now: number, condition: 'LESS_THAN' | 'GREATER_THAN' = 'LESS_THAN', days = 60): MetricOverview {
  return { value, level, headroom, target: { value: target, condition }, amazonStatus: level === 'breach' ? 'BAD' : 'GOOD', window: window(days, now), counts };
}

export function count(value: number, level: MetricOverview['level'], now: number): MetricOverview {
  return { value, level, headroom: value === 0 ? 0 : null, target: { value: 0, condition: 'EQUALS' }, amazonStatus: value === 0 ? 'GOOD' : 'BAD', window: window(180, now), counts: {} };
}

export function demoStores(now: number): StoreOverview[] {
  const checked = now - 5 * 60_000;
  return [
    {
      id: 'st-acme',
      name: 'Acme Home US',
      region: 'na',
      level: 'warn',
      auth: 'ok',
      lastCheckedAt: checked,
      marketplaces: [
        {
          marketplaceId: 'ATVPDKIKX0DER',
          countryCode: 'US',
          level: 'warn',
          accountStatus: 'NORMAL',
          ahr: { status: 'GREAT', score: 412 },
          fetchedAt: checked,
          metrics: {
            odrMfn: rate(0.008, 0.01, 'warn', 2, { total: 1000, defects: 8 }, now),
            lateShipmentRate: rate(0.012, 0.04, 'ok', 27, { total: 1000, defects: 12 }, now, 'LESS_THAN', 30),
            validTrackingRate: rate(0.97, 0.95, 'ok', 19, { total: 1000, good: 970 }, now, 'GREATER_THAN', 30),
            listingPolicyViolations: count(0, 'ok', now),
          },
        },
        {
          marketplaceId: 'A2EUQ1WTGCTBG2',
          countryCode: 'CA',
          level: 'ok',
          accountStatus: 'NORMAL',
          ahr: { status: 'GREAT', score: null },
          fetchedAt: checked,
          metrics: { odrMfn: rate(0.002, 0.01, 'ok', 7, { total: 900, defects: 2 }, now) },
        },
      ],
    },
    {
      id: 'st-lumen',
      name: 'Lumen Europe',
      region: 'eu',
      level: 'breach',
      auth: 'ok',
      lastCheckedAt: checked,
      marketplaces: [
        {
          marketplaceId: 'A1PA6795UKMFR9',
          countryCode: 'DE',
          level: 'breach',
          accountStatus: 'NORMAL',
          ahr: { status: 'WARNED', score: 180 },
          fetchedAt: checked,
          metrics: {
            lateShipmentRate: rate(0.045, 0.04, 'breach', null, { total: 400, defects: 18 }, now, 'LESS_THAN', 30),
            odrMfn: rate(0.004, 0.01, 'ok', 2, { total: 500, defects: 2 }, now),
          },
        },
        {
          marketplaceId: 'A13V1IB3VIYZZH',
          countryCode: 'FR',
          level: 'ok',
          accountStatus: 'NORMAL',
          ahr: null,
          fetchedAt: checked,
          metrics: { odrMfn: rate(0.001, 0.01, 'ok', 4, { total: 500, defects: 1 }, now) },
        },
      ],
    },
    {
      id: 'st-sakura',
      name: 'Sakura JP',
      region: 'fe',
      level: 'ok',
      auth: 'ok',
      lastCheckedAt: checked,
      marketplaces: [
        {
          marketplaceId: 'A1VC38T7YXB528',
          countryCode: 'JP',
          level: 'ok',
          accountStatus: 'NORMAL',
          ahr: { status: 'GREAT', score: 520 },
          fetchedAt: checked,
          metrics: { odrMfn: rate(0, 0.01, 'ok', 9, { total: 1000, defects: 0 }, now) },
        },
      ],
    },
  ];
}

export function demoAlert(id: string, createdAt: number, overrides: Partial<AlertView> = {}): AlertView {
  return {
    id,
    storeId: 'st-lumen',
    marketplaceId: 'A1PA6795UKMFR9',
    kind: 'level_changed',
    severity: 'critical',
    category: 'problem',
    metric: 'lateShipmentRate',
    from: 'warn',
    to: 'breach',
    detail: { valueFrom: 0.035, valueTo: 0.045, target: { value: 0.04, condition: 'LESS_THAN' }, headroom: null },
    createdAt,
    acknowledgedAt: null,
    resolvedAt: null,
    deliveries: [],
    ...overrides,
  };
}
