import { describe, expect, it } from 'vitest';
import { type Digest, type DigestStore, renderDigest, renderDigestMarkdown } from '../../shared/digest/digest-compose.ts';
import { digestStores } from '../../shared/digest/digest-from-overview.ts';
import { negativeFeedbackEvent } from '../../shared/feedback/new-negative-feedback.ts';
import { charCount, utf8Bytes } from '../../shared/messages/format.ts';
import type { HealthEvent } from '../../shared/types.ts';
import { fixtureCatalog as catalog } from '../support/message-catalog.ts';

const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
// 09:00 in Shanghai on 2026-12-07.
const NOW = Date.UTC(2026, 11, 7, 1);
const HOUR = 3_600_000;
const ODR_TARGET = { value: 0.01, condition: 'LESS_THAN' as const };
const LSR_TARGET = { value: 0.04, condition: 'LESS_THAN' as const };

function store(over: Partial<DigestStore> & Pick<DigestStore, 'storeId' | 'name'>): DigestStore {
  return { level: 'ok', auth: 'ok', marketplaces: [{ marketplaceId: US, level: 'ok', metrics: [] }], ...over };
}

const acme = store({
  storeId: 's1',
  name: 'Acme Home',
  level: 'breach',
  marketplaces: [
    {
      marketplaceId: US,
      level: 'breach',
      metrics: [
        { metric: 'odrMfn', level: 'breach', value: 0.012, target: ODR_TARGET, headroom: -1 },
        { metric: 'validTrackingRate', level: 'ok', value: 0.99, target: { value: 0.95, condition: 'GREATER_THAN' }, headroom: 12 },
      ],
      negativeFeedback: { count: 2, windowDays: 60 },
    },
    { marketplaceId: DE, level: 'warn', metrics: [{ metric: 'lateShipmentRate', level: 'warn', value: 0.0375, target: LSR_TARGET, headroom: 0 }] },
  ],
});

const odrBreach: HealthEvent = {
  key: 'e1',
  kind: 'level_changed',
  severity: 'critical',
  marketplaceId: US,
  metric: 'odrMfn',
  from: 'warn',
  to: 'breach',
  detail: { valueFrom: 0.008, valueTo: 0.012, target: ODR_TARGET, headroom: -1 },
};
const feedback = negativeFeedbackEvent(US, { orderId: '112-4839201-7730214', rating: 1, date: '2026-12-06', comment: 'broken', response: '' });

function digest(over: Partial<Digest> = {}): Digest {
  return {
    day: '2026-12-07',
    stores: [store({ storeId: 's0', name: 'Quiet Co' }), acme, store({ storeId: 's2', name: 'Calm Ltd' })],
    events: [
      { storeId: 's1', event: odrBreach, category: 'problem', createdAt: NOW - 5 * HOUR },
      { storeId: 's1', event: feedback, category: 'problem', createdAt: NOW - 2 * HOUR },
      // Older than a day: left out.
      { storeId: 's0', event: odrBreach, category: 'problem', createdAt: NOW - 25 * HOUR },
    ],
    language: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    now: NOW,
    ...over,
  };
}

function wecom(d: Digest): string {
  const r = renderDigest('wecom', d, catalog);
  if (r.type !== 'wecom') throw new Error('wrong type');
  return r.body.markdown.content;
}

describe('daily digest', () => {
  it('lists the stores at risk with each metric, its target and headroom, the 24-hour changes, and counts the rest (zh-CN)', () => {
    expect(wecom(digest())).toBe(
      [
        '<font color="info">**店铺哨兵早报 · 2026-12-07**</font>',
        '共 3 个店铺：1 个超标，0 个接近超标；24 小时内 2 项变化',
        [
          '**🔴 Acme Home**',
          '> 🇺🇸 美国站 · 🔴 订单缺陷率（自配送） 1.2%（目标 < 1%） · 已无余量，超出 1 笔缺陷订单',
          '> 🇺🇸 美国站 · 近 60 天差评 2 条',
          '> 🇩🇪 德国站 · 🟠 迟发率 3.75%（目标 < 4%） · 下一次延迟发货就会超标',
          '> 24 小时内：美国站 订单缺陷率（自配送）已超标；美国站 收到 1 星差评 112-4839201-7730214',
        ].join('\n'),
        '<font color="comment">其余 2 个店铺一切正常</font>',
        '<font color="comment">店铺哨兵 · 2026-12-07 09:00</font>',
      ].join('\n\n'),
    );
  });

  it('reads in English', () => {
    const text = renderDigestMarkdown(digest({ language: 'en' }), catalog, 'plain', 16_000);
    expect(text).toContain('### Storewatch daily digest · 2026-12-07');
    expect(text).toContain('3 stores: 1 breached, 0 near a target; 2 changes in 24 hours');
    expect(text).toContain('- 🇺🇸 United States · 2 negative feedback in 60 days');
    expect(text).toContain('*The other 2 stores are fine*');
  });

  it('says all is well when no store is at risk or changed', () => {
    const text = wecom(digest({ stores: [store({ storeId: 's0', name: 'Quiet Co' })], events: [] }));
    expect(text).toContain('共 1 个店铺：0 个超标，0 个接近超标；24 小时内 0 项变化');
    expect(text).toContain('1 个店铺一切正常');
  });

  it('stays one WeCom message within 4096 bytes with 80 stores at risk, closing with how many stores it left out', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({ ...acme, storeId: `s${i}`, name: `店铺 ${String(i).padStart(2, '0')} 家居旗舰店` }));
    const text = wecom(digest({ stores: many, events: [] }));
    expect(utf8Bytes(text)).toBeLessThanOrEqual(4096);
    const shown = text.match(/\*\*🔴 /g)?.length ?? 0;
    expect(shown).toBeGreaterThan(3);
    expect(text).toContain(`…及另外 ${80 - shown} 个店铺，请在店铺哨兵扩展中查看`);
  });

  it('makes store names inert, so a name cannot inject markdown or links', () => {
    const text = wecom(digest({ stores: [{ ...acme, name: '**Evil** [x](http://e) <font>' }], events: [] }));
    expect(text).toContain('**🔴 Evil   ［x］(http：//e) ‹font›**');
  });

  it('fits the Official Account template and the push services titles', () => {
    const oa = renderDigest('oa', digest(), catalog);
    if (oa.type !== 'oa') throw new Error('wrong type');
    expect(oa.body.data.thing2.value).toBe('1 个店铺有风险');
    for (const f of Object.values(oa.body.data)) expect(charCount(f.value)).toBeLessThanOrEqual(20);
    const sc = renderDigest('serverchan', digest(), catalog);
    expect(sc.type === 'serverchan' && sc.body.title).toBe('店铺哨兵早报 · 2026-12-07 · 1 个店铺有风险');
  });
});

describe('digest stores from the overview', () => {
  it('takes levels, metrics with headroom and the negative-feedback count, only for followed stores', () => {
    const overview = [
      {
        id: 's1',
        name: 'Acme Home',
        region: 'na' as const,
        level: 'warn' as const,
        auth: 'ok' as const,
        lastCheckedAt: NOW,
        marketplaces: [
          {
            marketplaceId: US,
            countryCode: 'US',
            level: 'warn' as const,
            accountStatus: 'NORMAL' as const,
            ahr: null,
            fetchedAt: NOW,
            metrics: {
              odrMfn: { value: 0.008, level: 'warn' as const, headroom: 0, target: ODR_TARGET, amazonStatus: 'GOOD' as const, window: null, counts: {} },
              someFutureMetric: { value: 1, level: 'ok' as const, headroom: null, target: null, amazonStatus: 'NONE' as const, window: null, counts: {} },
            },
            negativeFeedback: { count: 2, windowDays: 60 },
          },
        ],
      },
      { id: 's2', name: 'Other', region: 'eu' as const, level: 'ok' as const, auth: 'ok' as const, lastCheckedAt: null, marketplaces: [] },
    ];
    expect(digestStores(overview, ['s1'])).toEqual([
      {
        storeId: 's1',
        name: 'Acme Home',
        level: 'warn',
        auth: 'ok',
        marketplaces: [
          { marketplaceId: US, level: 'warn', metrics: [{ metric: 'odrMfn', level: 'warn', value: 0.008, target: ODR_TARGET, headroom: 0 }], negativeFeedback: { count: 2, windowDays: 60 } },
        ],
      },
    ]);
    expect(digestStores(overview).map((s) => s.storeId)).toEqual(['s1', 's2']);
  });
});
