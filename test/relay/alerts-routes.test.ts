import { beforeEach, describe, expect, it } from 'vitest';
import { WECOM_KEY, World, odrEvent } from './helpers/alerts-world.ts';

let world: World;

beforeEach(async () => {
  world = new World();
  await world.seed();
});

const json = (body: unknown) => ({ body: JSON.stringify(body) });

describe('/v1/rules', () => {
  it('answers sensible defaults before anyone configured anything', async () => {
    const res = await world.request('/v1/rules', { as: 'member1' });
    const body = (await res.json()) as { version: number; rules: Record<string, unknown> };
    expect(body.version).toBe(0);
    expect(body.rules).toMatchObject({ recoveryMessages: true, reminderIntervalHours: 24, kinds: { level_changed: true, auth_lost: true } });
  });

  it('lets owners save rules against the version they read, and refuses a stale version with 409', async () => {
    const put = (version: number, rules: unknown) => world.request('/v1/rules', { method: 'PUT', as: 'owner1', ...json({ version, rules }) });
    const first = await put(0, { recoveryMessages: false, kinds: { data_stale: false } });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ version: 1, rules: { recoveryMessages: false, kinds: { data_stale: false, auth_lost: true } } });
    expect((await put(0, {})).status).toBe(409);
    expect((await put(1, { reminderIntervalHours: 12 })).status).toBe(200);
    expect(await (await world.request('/v1/rules', { as: 'owner1' })).json()).toMatchObject({ version: 2, rules: { reminderIntervalHours: 12 } });
  });

  it('refuses members and bad input, changing nothing', async () => {
    const member = await world.request('/v1/rules', { method: 'PUT', as: 'member1', ...json({ version: 0, rules: {} }) });
    expect(member.status).toBe(403);
    const bad = await world.request('/v1/rules', { method: 'PUT', as: 'owner1', ...json({ version: 0, rules: { kinds: { nonsense: true } } }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('kinds must be among');
    expect(await (await world.request('/v1/rules', { as: 'owner1' })).json()).toMatchObject({ version: 0 });
  });

  it('keeps rules out of the reach of an unauthenticated caller', async () => {
    expect((await world.request('/v1/rules')).status).toBe(401);
  });
});

describe('/v1/prefs', () => {
  it('saves a member’s own quiet hours, zone and language, and rejects an unknown zone', async () => {
    const res = await world.request('/v1/prefs', { method: 'PUT', as: 'member1', ...json({ quietHours: { start: '22:00', end: '08:00' }, language: 'en' }) });
    expect(await res.json()).toEqual({ prefs: { language: 'en', timeZone: 'Asia/Shanghai', quietHours: { start: '22:00', end: '08:00' }, stores: 'all', channels: 'all' } });
    expect((await world.request('/v1/prefs', { method: 'PUT', as: 'member1', ...json({ timeZone: 'Mars/Base' }) })).status).toBe(400);
    expect(await (await world.request('/v1/prefs', { as: 'owner1' })).json()).toMatchObject({ prefs: { language: 'zh-CN' } });
  });
});

describe('/v1/channels', () => {
  it('stores a WeCom key pasted as the whole webhook URL encrypted and returns only a hint', async () => {
    await world.addWecom();
    const { channels } = (await (await world.request('/v1/channels', { as: 'member1' })).json()) as { channels: Array<Record<string, unknown>> };
    expect(channels).toEqual([expect.objectContaining({ type: 'wecom', scope: 'team', secretHint: '0b1c…e9f0', state: 'ok' })]);
    const row = await world.env.DB.prepare('SELECT secret FROM channels').first<{ secret: string }>();
    expect(row!.secret).not.toContain(WECOM_KEY);
    expect(JSON.stringify(channels)).not.toContain(WECOM_KEY);
  });

  it('lets only owners add a team robot, and any member a personal channel they alone see', async () => {
    const robot = await world.request('/v1/channels', { method: 'POST', as: 'member1', ...json({ type: 'wecom', name: 'x', secret: WECOM_KEY }) });
    expect(robot.status).toBe(403);
    const mine = await world.request('/v1/channels', { method: 'POST', as: 'member1', ...json({ type: 'serverchan', name: '我', secret: 'SCT12345TabcdefXYZ' }) });
    expect(mine.status).toBe(201);
    const ownerView = (await (await world.request('/v1/channels', { as: 'owner1' })).json()) as { channels: unknown[] };
    const otherWorkspace = (await (await world.request('/v1/channels', { as: 'owner2' })).json()) as { channels: unknown[] };
    expect(ownerView.channels).toHaveLength(1);
    expect(otherWorkspace.channels).toHaveLength(0);
  });

  it('rejects a secret that is not of the channel’s kind with a clear message', async () => {
    const res = await world.request('/v1/channels', { method: 'POST', as: 'owner1', ...json({ type: 'wecom', name: 'x', secret: 'https://evil.example/?key=abc' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('WeCom robot key');
  });

  it('answers "send test" with the channel’s own verdict and mends a broken channel when a new key works', async () => {
    const id = await world.addWecom();
    world.wechat.wecom.breakKey(WECOM_KEY);
    const broken = await world.request(`/v1/channels/${id}/test`, { method: 'POST', as: 'owner1' });
    expect(await broken.json()).toMatchObject({ verdict: { outcome: 'broken', code: '93000' }, channel: { state: 'broken' } });
    const fixedKey = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    // Any well-formed key is a live robot to the simulated WeCom, as long as it was not broken.
    await world.request(`/v1/channels/${id}`, { method: 'PATCH', as: 'owner1', ...json({ secret: fixedKey }) });
    world.now += 60_000; // one test per channel per minute
    const ok = await world.request(`/v1/channels/${id}/test`, { method: 'POST', as: 'owner1' });
    expect(await ok.json()).toMatchObject({ verdict: { outcome: 'sent', code: '0', reason: null }, channel: { state: 'ok', secretHint: 'aaaa…eeee' } });
    expect(world.wechat.messagesTo('wecom')[0]!.text).toContain('店铺哨兵测试消息');
  });

  it('does not let another workspace see, test or delete a channel', async () => {
    const id = await world.addWecom();
    expect((await world.request(`/v1/channels/${id}/test`, { method: 'POST', as: 'owner2' })).status).toBe(404);
    expect((await world.request(`/v1/channels/${id}`, { method: 'DELETE', as: 'owner2' })).status).toBe(404);
    expect((await world.request(`/v1/channels/${id}`, { method: 'DELETE', as: 'member1' })).status).toBe(403);
    expect((await world.request(`/v1/channels/${id}`, { method: 'DELETE', as: 'owner1' })).status).toBe(204);
  });
});

describe('/v1/alerts', () => {
  it('lists alerts newest first with their deliveries, a page at a time', async () => {
    const channelId = await world.addWecom();
    const times: number[] = [];
    for (let i = 1; i <= 3; i++) {
      world.now += 1000;
      times.push(world.now);
      await world.fanOut([await world.recordEvent(odrEvent(`k${i}`))]);
    }
    await world.advance(60_000); // the robot takes a message every 3 s: the later two went together
    const first = (await (await world.request('/v1/alerts?limit=2', { as: 'member1' })).json()) as { alerts: Array<Record<string, unknown>>; cursor: string };
    expect(first.alerts.map((a) => a['createdAt'])).toEqual([times[2], times[1]]);
    expect(first.alerts[0]).toMatchObject({
      storeId: 's1',
      marketplaceId: 'ATVPDKIKX0DER',
      kind: 'level_changed',
      severity: 'critical',
      category: 'problem',
      metric: 'odrMfn',
      from: 'warn',
      to: 'breach',
      acknowledgedAt: null,
      deliveries: [{ channelId, state: 'sent' }],
    });
    const second = (await (await world.request(`/v1/alerts?limit=2&cursor=${first.cursor}`, { as: 'member1' })).json()) as { alerts: unknown[]; cursor: string | null };
    expect(second.alerts).toHaveLength(1);
    expect(second.cursor).toBeNull();
    expect(((await (await world.request('/v1/alerts', { as: 'owner2' })).json()) as { alerts: unknown[] }).alerts).toHaveLength(0);
  });

  it('rejects a malformed cursor, a repeated parameter and one it does not know', async () => {
    expect((await world.request('/v1/alerts?cursor=abc', { as: 'member1' })).status).toBe(400);
    const repeated = await world.request('/v1/alerts?limit=2&limit=50', { as: 'member1' });
    expect(repeated.status).toBe(400);
    expect(await repeated.json()).toMatchObject({ error: { code: 'invalid', message: 'limit: give it once' } });
    for (const q of ['__proto__=1', 'constructor=1', 'since=0']) {
      expect((await world.request(`/v1/alerts?${q}`, { as: 'member1' })).status, q).toBe(400);
    }
  });
});
