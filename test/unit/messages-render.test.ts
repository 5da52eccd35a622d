import { describe, expect, it } from 'vitest';
import type { MessageBatch, MessageItem } from '../../shared/messages/facts.ts';
import { charCount, utf8Bytes } from '../../shared/messages/format.ts';
import { renderForChannel, renderTest } from '../../shared/messages/render.ts';
import type { HealthEvent } from '../../shared/types.ts';
import { fixtureCatalog as catalog } from '../support/message-catalog.ts';

const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
const JP = 'A1VC38T7YXB528';
// 22:30 in Shanghai
const NOW = Date.UTC(2026, 2, 10, 14, 30);
const WINDOW = { from: '2026-01-09T00:00:00Z', to: '2026-03-09T00:00:00Z' };
const ODR_TARGET = { value: 0.01, condition: 'LESS_THAN' as const };

function odr(over: Partial<HealthEvent> = {}, detail: HealthEvent['detail'] = {}): HealthEvent {
  return {
    key: 'k',
    kind: 'level_changed',
    severity: 'warning',
    marketplaceId: US,
    metric: 'odrMfn',
    from: 'ok',
    to: 'warn',
    ...over,
    detail: { valueFrom: 0.006, valueTo: 0.0089, target: ODR_TARGET, headroom: 2, window: WINDOW, ...detail },
  };
}

function item(event: HealthEvent, over: Partial<MessageItem> = {}): MessageItem {
  return { alertId: '1', storeName: 'Acme Home', event, category: 'problem', reminder: false, createdAt: NOW, ...over };
}

function batch(items: MessageItem[], language: 'zh-CN' | 'en' = 'zh-CN', over: Partial<MessageBatch> = {}): MessageBatch {
  return { items, language, timeZone: 'Asia/Shanghai', now: NOW, resend: false, ...over };
}

function wecom(b: MessageBatch): string {
  const r = renderForChannel('wecom', b, catalog);
  if (r.type !== 'wecom') throw new Error('wrong type');
  return r.body.markdown.content;
}

describe('WeCom markdown', () => {
  it('names store, marketplace, metric, old and new value, target, headroom, window and the Account Health link (zh-CN)', () => {
    expect(wecom(batch([item(odr())]))).toBe(
      [
        '<font color="warning">**🟠 订单缺陷率（自配送）接近超标**</font>',
        '> 店铺：Acme Home',
        '> 站点：🇺🇸 美国站',
        '> 数值：0.6% → 0.89%（目标 < 1%）',
        '> 余量：再有 2 笔缺陷订单将超标',
        '> 周期：2026-01-09 至 2026-03-09',
        '[打开账户状况页](https://sellercentral.amazon.com/performance/account/health)',
        '',
        '<font color="comment">店铺哨兵 · 2026-03-10 22:30</font>',
      ].join('\n'),
    );
  });

  it('says the same in English for a member who reads English', () => {
    expect(wecom(batch([item(odr())], 'en'))).toBe(
      [
        '<font color="warning">**🟠 Order defect rate (seller-fulfilled) is nearing its target**</font>',
        '> Store: Acme Home',
        '> Marketplace: 🇺🇸 United States',
        '> Value: 0.6% → 0.89% (target < 1%)',
        '> Headroom: 2 more defective orders and ODR breaks',
        '> Window: 2026-01-09 to 2026-03-09',
        '[Open Account Health](https://sellercentral.amazon.com/performance/account/health)',
        '',
        '<font color="comment">Storewatch · 2026-03-10 22:30</font>',
      ].join('\n'),
    );
  });

  it('says the next defect breaks the target when headroom is 0', () => {
    const zero = item(odr({}, { headroom: 0 }));
    expect(wecom(batch([zero]))).toContain('> 余量：下一笔缺陷订单就会超标');
    expect(wecom(batch([zero], 'en'))).toContain('> Headroom: the next defective order breaks ODR');
    expect(wecom(batch([item(odr({}, { headroom: 1 }))], 'en'))).toContain('1 more defective order and ODR breaks');
  });

  it('colours a breach red-orange, a recovery green, and says a breach has no headroom left', () => {
    // evaluate reports how far over a breach is as `over` (headroom is null once broken).
    const breach = wecom(batch([item(odr({ to: 'breach', severity: 'critical' }, { valueTo: 0.0112, headroom: null, over: 1 }))]));
    expect(breach).toContain('<font color="warning">**🔴 订单缺陷率（自配送）已超标**</font>');
    expect(breach).toContain('> 余量：已无余量，超出 1 笔缺陷订单');
    expect(wecom(batch([item(odr({ to: 'breach', severity: 'critical' }, { headroom: null }))], 'en'))).toContain('> Headroom: none left');
    const recovered = wecom(batch([item(odr({ from: 'breach', to: 'ok', severity: 'info' }, { valueFrom: 0.0112, valueTo: 0.0095 }), { category: 'recovery' })]));
    expect(recovered).toContain('<font color="info">**🟢 订单缺陷率（自配送）已恢复达标**</font>');
    expect(recovered).toContain('> 数值：1.12% → 0.95%（目标 < 1%）');
  });

  it('leads a batch with the worst event and counts the changes', () => {
    const text = wecom(
      batch([
        item(odr({ metric: 'lateShipmentRate', marketplaceId: DE }, { valueFrom: 0.02, valueTo: 0.031, target: { value: 0.04, condition: 'LESS_THAN' } })),
        item(odr({ to: 'breach', severity: 'critical', marketplaceId: JP }, { valueTo: 0.0121 }), { createdAt: NOW + 5 }),
        item(odr({ from: 'warn', to: 'ok', severity: 'info' }), { category: 'recovery' }),
      ]),
    );
    expect(text.startsWith('**店铺哨兵 · 3 项变化**\n\n<font color="warning">**🔴 订单缺陷率（自配送）已超标**</font>\n> 店铺：Acme Home\n> 站点：🇯🇵 日本站')).toBe(true);
    expect(text.indexOf('迟发率接近超标')).toBeLessThan(text.indexOf('已恢复达标'));
    expect(text).toContain('> 余量：再有 2 次延迟发货将超标');
  });

  it('keeps a huge batch to one message of at most 4096 bytes, worst first, and counts the rest', () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      item(odr({ key: `k${i}`, marketplaceId: [US, DE, JP][i % 3]!, to: i === 399 ? 'breach' : 'warn', severity: i === 399 ? 'critical' : 'warning' }), {
        storeName: `店铺 ${i} 号 — 一个相当长的店铺名称`,
      }),
    );
    const text = wecom(batch(many));
    expect(utf8Bytes(text)).toBeLessThanOrEqual(4096);
    expect(text).toContain('**店铺哨兵 · 400 项变化**');
    const firstBlock = text.split('\n\n')[1];
    expect(firstBlock).toContain('🔴');
    expect(firstBlock).toContain('店铺 399 号');
    const shown = (text.match(/> 店铺：/g) ?? []).length;
    expect(shown).toBeGreaterThan(3);
    expect(text).toContain(`……另有 ${400 - shown} 项变化，请在店铺哨兵扩展中查看`);
  });

  it('renders a store name as inert text: no tags, links, emphasis or mentions', () => {
    const text = wecom(batch([item(odr(), { storeName: '<@all> **Shop** [x](http://e)\n<font>ok</font>' })]));
    expect(text).toContain('> 店铺：‹@all›   Shop   ［x］(http：//e) ‹font›ok‹/font›\n');
    expect(text).not.toContain('<@all>');
  });

  it('renders entities, backslashes and bare URLs in a store name inert too', () => {
    const text = wecom(batch([item(odr(), { storeName: 'Shop &lt;@all&gt; \\*x\\* see https://evil.example/login' })]));
    expect(text).toContain('> 店铺：Shop ＆lt;@all＆gt; ＼ x＼  see https：//evil.example/login\n');
    expect(text).not.toContain('&lt;');
    expect(text).not.toContain('https://evil');
  });

  it('heads a possible repeat (after a crashed send) with a note saying so', () => {
    expect(wecom(batch([item(odr())], 'zh-CN', { resend: true }))).toMatch(/^<font color="comment">（连接中断后重发，可能与上一条重复）<\/font>/);
  });
});

describe('reminder, authorization-lost, stale-data and account messages', () => {
  it('reminds about an unacknowledged breach with its age', () => {
    const reminded = item(odr({ to: 'breach', severity: 'critical' }, { valueTo: 0.0112 }), { reminder: true, createdAt: NOW - 2 * 86_400_000 });
    const text = wecom(batch([reminded]));
    expect(text).toContain('**🔴 ⏰ 提醒 · 订单缺陷率（自配送）已超标**');
    expect(text).toContain('> 2 天前已报警，仍未确认');
    expect(wecom(batch([reminded], 'en'))).toContain('> First alerted 2 days ago, not acknowledged yet');
  });

  it('tells the owner to reconnect a store whose authorization is lost', () => {
    const lost: HealthEvent = { key: 'a', kind: 'auth_lost', severity: 'critical', marketplaceId: null, metric: null, from: null, to: null, detail: {} };
    expect(wecom(batch([item(lost)]))).toBe(
      [
        '<font color="warning">**🔴 亚马逊授权已失效**</font>',
        '> 店铺：Acme Home',
        '> 店铺已停止监控，请在选项页重新连接该店铺。',
        '',
        '<font color="comment">店铺哨兵 · 2026-03-10 22:30</font>',
      ].join('\n'),
    );
  });

  it('says data is stale and names account status changes in words', () => {
    const stale: HealthEvent = { key: 's', kind: 'data_stale', severity: 'warning', marketplaceId: US, metric: null, from: null, to: null, detail: {} };
    expect(wecom(batch([item(stale)], 'en'))).toContain('**🟠 Account health data has not been updated for a while**');
    const status: HealthEvent = { key: 'st', kind: 'account_status_changed', severity: 'critical', marketplaceId: DE, metric: null, from: 'NORMAL', to: 'AT_RISK', detail: {} };
    const text = wecom(batch([item(status)]));
    expect(text).toContain('**🔴 账户状态发生变化**');
    expect(text).toContain('> 数值：正常 → 有风险');
    expect(text).toContain('(https://sellercentral-europe.amazon.com/performance/account/health)');
  });

  it('shows policy counts as whole numbers against a target of 0', () => {
    const rose: HealthEvent = {
      key: 'p',
      kind: 'policy_count_rose',
      severity: 'warning',
      marketplaceId: US,
      metric: 'listingPolicyViolations',
      from: '1',
      to: '2',
      detail: { valueFrom: 1, valueTo: 2, target: { value: 0, condition: 'EQUALS' } },
    };
    expect(wecom(batch([item(rose)]))).toContain('> 数值：1 → 2（目标 = 0）');
  });
});

describe('Official Account template data', () => {
  it('fits the worst event into five fields and links its Account Health page', () => {
    const r = renderForChannel('oa', batch([item(odr()), item(odr({ to: 'breach', severity: 'critical' }, { valueTo: 0.0112 }))]), catalog);
    expect(r).toEqual({
      type: 'oa',
      body: {
        data: {
          thing1: { value: 'Acme Home 美国站' },
          thing2: { value: '订单缺陷率（自配送） 等2项' },
          thing3: { value: '0.6%→1.12% (<1%)' },
          thing4: { value: '已超标' },
          time5: { value: '2026-03-10 22:30' },
        },
        url: 'https://sellercentral.amazon.com/performance/account/health',
      },
    });
  });

  it('never puts more than 20 characters in a field, whatever the language or store name', () => {
    const long = item(odr(), { storeName: 'A very long store name that never ends, really' });
    for (const language of ['zh-CN', 'en'] as const) {
      for (const items of [[long], [long, item(odr({ kind: 'headroom_low' }))]]) {
        const r = renderForChannel('oa', batch(items, language), catalog);
        if (r.type !== 'oa') throw new Error('wrong type');
        for (const { value } of Object.values(r.body.data)) expect(charCount(value), value).toBeLessThanOrEqual(20);
        expect(r.body.data.thing2.value).toMatch(items.length > 1 ? /(等2项|\+1)$/ : /./);
      }
    }
  });
});

describe('ServerChan and PushPlus', () => {
  it('gives ServerChan a title of at most 32 characters and the details as markdown', () => {
    const r = renderForChannel('serverchan', batch([item(odr())]), catalog);
    if (r.type !== 'serverchan') throw new Error('wrong type');
    expect(r.body.title).toBe('🟠 订单缺陷率（自配送）接近超标 · Acme Home 美国站');
    expect(charCount(r.body.title)).toBeLessThanOrEqual(32);
    expect(r.body.desp).toContain('- 余量：再有 2 笔缺陷订单将超标');
    expect(r.body.desp).not.toContain('<font');
  });

  it('gives PushPlus a title and markdown content in the markdown template', () => {
    const r = renderForChannel('pushplus', batch([item(odr())], 'en'), catalog);
    if (r.type !== 'pushplus') throw new Error('wrong type');
    expect(r.body.template).toBe('markdown');
    expect(r.body.title).toBe('🟠 Order defect rate (seller-fulfilled) is nearing its target · Acme Home United States');
    expect(r.body.content).toContain('- Headroom: 2 more defective orders and ODR breaks');
  });
});

describe('test messages', () => {
  it('say where they come from in every channel format', () => {
    const w = renderTest('wecom', 'zh-CN', 'Asia/Shanghai', NOW);
    expect(w.type === 'wecom' && w.body.markdown.content).toContain('**店铺哨兵测试消息**');
    const o = renderTest('oa', 'en', 'Asia/Shanghai', NOW);
    expect(o.type === 'oa' && o.body.data.thing2.value).toBe('Storewatch test mes…');
  });
});
