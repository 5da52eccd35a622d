import { describe, expect, it } from 'vitest';
import type { FeedbackDocument, FeedbackEntry } from '../../shared/feedback/feedback-report.ts';
import { feedbackKey, negativeFeedbackEvent, scanNegativeFeedback } from '../../shared/feedback/new-negative-feedback.ts';
import { defaultCatalog } from '../../shared/messages/default-catalog.ts';
import type { MessageBatch } from '../../shared/messages/facts.ts';
import { charCount } from '../../shared/messages/format.ts';
import { renderForChannel } from '../../shared/messages/render.ts';
import { orderPageUrl } from '../../shared/marketplaces.ts';

const US = 'ATVPDKIKX0DER';
const JP = 'A1VC38T7YXB528';
// 2026-12-06 10:00 UTC
const NOW = Date.UTC(2026, 11, 6, 10);

function entry(orderId: string, rating: number, date: string | null, comment = 'late'): FeedbackEntry {
  return { orderId, rating, date, comment, response: '' };
}

function doc(entries: FeedbackEntry[], marketplaceId = US): FeedbackDocument {
  return { marketplaceId, entries, skipped: [] };
}

describe('new negative feedback', () => {
  const report = doc([
    entry('111-0000000-0000001', 1, '2026-12-05'),
    entry('111-0000000-0000002', 3, '2026-12-05'),
    entry('111-0000000-0000003', 2, '2026-10-08'),
    entry('111-0000000-0000004', 2, '2026-10-07'),
    entry('111-0000000-0000005', 1, null),
  ]);

  it('learns on the first look without calling anything new', () => {
    const scan = scanNegativeFeedback(null, report, NOW);
    expect(scan.fresh).toEqual([]);
    expect(scan.keys).toEqual([
      feedbackKey(US, '111-0000000-0000001'),
      feedbackKey(US, '111-0000000-0000003'),
      feedbackKey(US, '111-0000000-0000004'),
      feedbackKey(US, '111-0000000-0000005'),
    ]);
  });

  it('calls new only the 1-2 star feedback whose order was not seen, oldest first', () => {
    const seen = new Set([feedbackKey(US, '111-0000000-0000003'), feedbackKey(US, '111-0000000-0000002')]);
    expect(scanNegativeFeedback(seen, report, NOW).fresh.map((e) => e.orderId)).toEqual(['111-0000000-0000005', '111-0000000-0000004', '111-0000000-0000001']);
  });

  it('counts negative feedback inside the 60-day ODR window (today and the 59 days before), undated rows included', () => {
    // 2026-12-06 minus 59 days is 2026-10-08: that day is in, 10-07 is out.
    expect(scanNegativeFeedback(null, report, NOW)).toMatchObject({ windowCount: 3, windowDays: 60 });
  });

  it('keeps keys per marketplace: the same order id in Japan is another feedback', () => {
    const seen = new Set([feedbackKey(US, '111-0000000-0000001')]);
    expect(scanNegativeFeedback(seen, doc([entry('111-0000000-0000001', 1, '2026-12-05')], JP), NOW).fresh).toHaveLength(1);
  });

  it('makes an event with a stable key, the order, stars, day and a bounded comment', () => {
    const e = negativeFeedbackEvent(US, entry('111-0000000-0000001', 1, '2026-12-05', 'x'.repeat(900)));
    expect(e).toMatchObject({ key: `${US}|negative_feedback|111-0000000-0000001`, kind: 'negative_feedback', severity: 'warning', marketplaceId: US, to: '1' });
    expect(e.detail.negativeFeedback).toMatchObject({ orderId: '111-0000000-0000001', rating: 1, date: '2026-12-05' });
    expect(charCount(e.detail.negativeFeedback!.comment)).toBe(500);
    expect(negativeFeedbackEvent(US, entry('111-0000000-0000001', 1, '2026-12-05')).key).toBe(e.key);
  });
});

describe('negative feedback in messages', () => {
  const event = negativeFeedbackEvent(US, entry('112-4839201-7730214', 1, '2026-12-05', 'Broken <b>box</b> [click](http://x) *now*'));
  const batch = (language: 'zh-CN' | 'en'): MessageBatch => ({
    items: [{ alertId: 'a1', storeName: 'Acme Home', event, category: 'problem', reminder: false, createdAt: NOW }],
    language,
    timeZone: 'Asia/Shanghai',
    now: NOW,
    resend: false,
  });

  it('links the order page on the marketplace Seller Central host', () => {
    expect(orderPageUrl(US, '112-4839201-7730214')).toBe('https://sellercentral.amazon.com/orders-v3/order/112-4839201-7730214');
    expect(orderPageUrl('A1PA6795UKMFR9', '302-5518820-1190437')).toBe('https://sellercentral-europe.amazon.com/orders-v3/order/302-5518820-1190437');
    expect(orderPageUrl('nope', '1')).toBeNull();
  });

  it('reads in WeCom (zh-CN) with stars, order id, day, the comment made inert and the order link', () => {
    const r = renderForChannel('wecom', batch('zh-CN'), defaultCatalog);
    expect(r.type === 'wecom' && r.body.markdown.content).toBe(
      [
        '<font color="warning">**🟠 收到 1 星差评**</font>',
        '> 店铺：Acme Home',
        '> 站点：🇺🇸 美国站',
        '> 评分：★☆☆☆☆ 1 星',
        '> 订单：112-4839201-7730214',
        '> 日期：2026-12-05',
        '> 买家评价：Broken ‹b›box‹/b› ［click］(http：//x)  now',
        '> 差评计入订单缺陷率（ODR）。请尽快联系买家解决问题；符合亚马逊政策的反馈可申请移除。',
        '[在卖家后台打开订单](https://sellercentral.amazon.com/orders-v3/order/112-4839201-7730214)',
        '',
        '<font color="comment">店铺哨兵 · 2026-12-06 18:00</font>',
      ].join('\n'),
    );
  });

  it('reads in English too', () => {
    const r = renderForChannel('serverchan', batch('en'), defaultCatalog);
    expect(r.type === 'serverchan' && r.body.title).toBe('🟠 New 1-star feedback · Acme Ho…');
    expect(r.type === 'serverchan' && r.body.desp).toContain('- Order: 112-4839201-7730214');
    expect(r.type === 'serverchan' && r.body.desp).toContain('[Open the order in Seller Central](https://sellercentral.amazon.com/orders-v3/order/112-4839201-7730214)');
  });

  it('fits the Official Account fields: the order id whole, the stars and comment clipped, the order page as the link', () => {
    const r = renderForChannel('oa', batch('zh-CN'), defaultCatalog);
    if (r.type !== 'oa') throw new Error('wrong type');
    expect(r.body.data.thing2.value).toBe('买家反馈');
    expect(r.body.data.thing3.value).toBe('112-4839201-7730214');
    expect(r.body.data.thing4.value.startsWith('★☆☆☆☆ 1 星')).toBe(true);
    for (const f of Object.values(r.body.data)) expect(charCount(f.value)).toBeLessThanOrEqual(20);
    expect(r.body.url).toBe('https://sellercentral.amazon.com/orders-v3/order/112-4839201-7730214');
  });
});
