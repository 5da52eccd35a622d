import { beforeEach, describe, expect, it } from 'vitest';
import { DE, JP, US, WECOM_KEY, World, odrEvent } from './helpers/alerts-world.ts';

let world: World;

beforeEach(async () => {
  world = new World();
  await world.seed();
});

describe('an ODR breach reaching the WeCom robot', () => {
  it('sends exactly one markdown message at fan-out time naming store, marketplace, metric, values, target and headroom', async () => {
    await world.addWecom();
    // A breach carries how far over it is as `over` (its headroom is null once broken).
    const row = await world.recordEvent(odrEvent('s1/US/odrMfn/1', {}, { headroom: null, over: 1 }));
    await world.fanOut([row]);

    // Delivered by the immediate attempt: no queue drain, no cron tick.
    const sent = world.wechat.messagesTo('wecom');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(WECOM_KEY);
    expect(sent[0]!.request['msgtype']).toBe('markdown');
    expect(sent[0]!.text).toBe(
      [
        '<font color="warning">**🔴 订单缺陷率（自配送）已超标**</font>',
        '> 店铺：Acme Home',
        '> 站点：🇺🇸 美国站',
        '> 数值：0.89% → 1.12%（目标 < 1%）',
        '> 余量：已无余量，超出 1 笔缺陷订单',
        '> 周期：2026-01-09 至 2026-03-09',
        '[打开账户状况页](https://sellercentral.amazon.com/performance/account/health)',
        '',
        '<font color="comment">店铺哨兵 · 2026-03-10 12:00</font>',
      ].join('\n'),
    );
    expect(await world.deliveries()).toMatchObject([{ state: 'sent', attempts: 1 }]);
  });

  it('names the headroom of a metric nearing its target', async () => {
    await world.addWecom();
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/w', { from: 'ok', to: 'warn', severity: 'warning' }, { valueTo: 0.0089 }))]);
    expect(world.wechat.messagesTo('wecom')[0]!.text).toContain('> 余量：再有 2 笔缺陷订单将超标');
  });

  it('sends nothing more when the same events are fanned out again, swept, or the queue runs', async () => {
    await world.addWecom();
    const row = await world.recordEvent(odrEvent('s1/US/odrMfn/1'));
    await world.fanOut([row]);
    await world.fanOut([row]);
    await world.advance(30 * 60_000);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(1);
    expect(await world.deliveries()).toHaveLength(1);
  });

  it('sends one recovery message when the metric is back on target', async () => {
    await world.addWecom();
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    world.now += 3_600_000;
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/2', { from: 'breach', to: 'ok', severity: 'info' }, { valueFrom: 0.0112, valueTo: 0.0096 }))]);
    await world.advance(30 * 60_000);
    const sent = world.wechat.messagesTo('wecom');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.text).toContain('<font color="info">**🟢 订单缺陷率（自配送）已恢复达标**</font>');
    expect(sent[1]!.text).toContain('> 数值：1.12% → 0.96%（目标 < 1%）');
  });
});

describe('WeCom answers', () => {
  it('still delivers exactly once when the robot answers 45009 to the first message', async () => {
    await world.addWecom();
    world.wechat.wecom.script(WECOM_KEY, 45009, 1);
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(0);
    expect(await world.deliveries()).toMatchObject([{ state: 'failed', attempts: 1, last_error: expect.stringMatching(/^45009 api freq out of limit/) }]);

    await world.advance(2 * 3_600_000);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(1);
    expect(await world.deliveries()).toMatchObject([{ state: 'sent', attempts: 2 }]);
  });

  it('marks the robot broken after one attempt on 93000, and owners see it in GET /v1/channels', async () => {
    const id = await world.addWecom();
    world.wechat.wecom.breakKey(WECOM_KEY);
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    await world.advance(2 * 3_600_000);

    expect(await world.deliveries()).toMatchObject([{ state: 'dead', attempts: 1, last_error: 'invalid webhook key (93000)' }]);
    expect(world.wechat.requests.filter((r) => r.endsWith('/webhook/send'))).toHaveLength(1);
    const res = await world.request('/v1/channels', { as: 'owner1' });
    const { channels } = (await res.json()) as { channels: Array<Record<string, unknown>> };
    expect(channels).toEqual([expect.objectContaining({ id, type: 'wecom', state: 'broken', brokenReason: 'invalid webhook key (93000)' })]);
  });

  it('never reports a WeCom failure as success: 200 with a non-zero errcode is not sent', async () => {
    await world.addWecom();
    world.wechat.wecom.script(WECOM_KEY, -1, 1);
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    expect(await world.deliveries()).toMatchObject([{ state: 'failed' }]);
  });
});

describe('batching', () => {
  it('sends ten metrics changing at once across three marketplaces as one message per channel', async () => {
    await world.addWecom();
    const add = await world.request('/v1/channels', {
      method: 'POST',
      as: 'member1',
      body: JSON.stringify({ type: 'pushplus', name: '我的微信', secret: '0123456789abcdef0123456789abcdef' }),
    });
    expect(add.status).toBe(201);
    const markets = [US, DE, JP];
    const metrics = ['odrMfn', 'lateShipmentRate', 'listingPolicyViolations'] as const;
    const rows = [];
    for (let i = 0; i < 10; i++) {
      rows.push(await world.recordEvent(odrEvent(`s1/${i}`, { marketplaceId: markets[i % 3]!, metric: metrics[i % 3]!, severity: 'warning', from: 'ok', to: 'warn' })));
    }
    await world.fanOut(rows);
    await world.advance(30 * 60_000);

    expect(world.wechat.messagesTo('wecom')).toHaveLength(1);
    expect(world.wechat.messagesTo('pushplus')).toHaveLength(1);
    expect(world.wechat.messagesTo('wecom')[0]!.text).toContain('**店铺哨兵 · 10 项变化**');
    expect(world.wechat.messagesTo('pushplus')[0]!.text).toContain('10 项变化');
    expect((await world.deliveries()).every((d) => d.state === 'sent')).toBe(true);
  });
});
