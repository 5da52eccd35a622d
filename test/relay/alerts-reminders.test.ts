import { beforeEach, describe, expect, it } from 'vitest';
import { World, odrEvent } from './helpers/alerts-world.ts';

let world: World;
const HOUR = 3_600_000;

beforeEach(async () => {
  world = new World();
  await world.seed();
  await world.addWecom();
});

async function alertId(): Promise<string> {
  const { alerts } = (await (await world.request('/v1/alerts', { as: 'member1' })).json()) as { alerts: Array<{ id: string }> };
  return alerts[0]!.id;
}

describe('reminders', () => {
  it('reminds once a day about a breach nobody acknowledged', async () => {
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    await world.advance(49 * HOUR, HOUR);
    const sent = world.wechat.messagesTo('wecom');
    expect(sent).toHaveLength(3);
    expect(sent[1]!.text).toContain('⏰ 提醒 · 订单缺陷率（自配送）已超标');
    expect(sent[1]!.text).toContain('1 天前已报警，仍未确认');
    expect(sent[2]!.text).toContain('2 天前已报警，仍未确认');
  });

  it('still reminds when hundreds of open alerts of a workspace with reminders off came first', async () => {
    const db = world.env.DB;
    await db.prepare("INSERT INTO alert_rules (workspace_id, version, rules, updated_at) VALUES ('ws-quiet', 1, ?, 0)").bind(JSON.stringify({ reminderIntervalHours: 0 })).run();
    await db.batch(
      Array.from({ length: 250 }, (_, i) =>
        db
          .prepare("INSERT INTO alerts (workspace_id, store_id, event_key, kind, severity, category, payload, remind, created_at) VALUES ('ws-quiet', 'quiet-store', ?, 'level_changed', 'critical', 'problem', '{}', 1, ?)")
          .bind(`quiet-${i}`, world.now - 10 * 24 * HOUR + i),
      ),
    );
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    await world.advance(25 * HOUR, HOUR);
    expect(world.wechat.messagesTo('wecom').map((m) => m.text.includes('⏰'))).toEqual([false, true]);
    // Every quiet one was looked at, and is next looked at within the hour, not on every tick.
    const { n } = (await db.prepare("SELECT COUNT(*) AS n FROM alerts WHERE workspace_id = 'ws-quiet' AND remind_check_at > 0 AND remind_check_at <= ?").bind(world.now + HOUR).first<{ n: number }>())!;
    expect(n).toBe(250);
  });

  it('stops reminding once the alert is acknowledged (POST /v1/alerts/:id/ack)', async () => {
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    const res = await world.request(`/v1/alerts/${await alertId()}/ack`, { method: 'POST', as: 'member1' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ alert: { acknowledgedAt: world.now } });
    await world.advance(72 * HOUR, HOUR);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(1);
  });

  it('stops reminding once the metric recovers', async () => {
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    world.now += 2 * HOUR;
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/2', { from: 'breach', to: 'ok', severity: 'info' }))]);
    await world.advance(72 * HOUR, HOUR);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(2);
  });

  it('does not let another workspace acknowledge an alert', async () => {
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    expect((await world.request(`/v1/alerts/${await alertId()}/ack`, { method: 'POST', as: 'owner2' })).status).toBe(404);
  });
});

describe('quiet hours', () => {
  it('holds a warning until the member’s quiet hours end and lets a breach through at once', async () => {
    // Only the owner follows the robot here, and the owner sleeps 11:00-13:00 Shanghai (T0 is 12:00).
    await world.request('/v1/prefs', { method: 'PUT', as: 'owner1', body: JSON.stringify({ quietHours: { start: '11:00', end: '13:00' } }) });
    await world.request('/v1/prefs', { method: 'PUT', as: 'member1', body: JSON.stringify({ stores: [] }) });
    await world.fanOut([await world.recordEvent(odrEvent('warn', { from: 'ok', to: 'warn', severity: 'warning' }))]);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(0);
    await world.fanOut([await world.recordEvent(odrEvent('breach', { metric: 'lateShipmentRate' }))]);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(1);
    await world.advance(59 * 60_000);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(1);
    await world.advance(2 * 60_000);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(2);
    expect(world.wechat.messagesTo('wecom')[1]!.text).toContain('接近超标');
  });
});
