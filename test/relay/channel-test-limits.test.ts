/**
 * Issue 14, finding 2: `POST /v1/channels/:id/test` goes through the channel's lease and spacing
 * and at most once a minute; only owners test team channels, and a personal channel only its member.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_SPACING_MS } from '../../shared/alerts/outbox.ts';
import { CHANNEL_TEST_INTERVAL_MS } from '../../shared/api/limits.ts';
import { World, odrEvent } from './helpers/alerts-world.ts';

let world: World;

beforeEach(async () => {
  world = new World();
  await world.seed();
});

const test = (id: string, as: string) => world.request(`/v1/channels/${id}/test`, { method: 'POST', as });

async function addPersonal(as: string, secret = 'SCT123456TabcdefghijklmnopqrstuVW'): Promise<string> {
  const res = await world.request('/v1/channels', { method: 'POST', as, body: JSON.stringify({ type: 'serverchan', name: 'mine', secret }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { channel: { id: string } }).channel.id;
}

describe('channel tests', () => {
  it('let six quick tests of one robot reach the group at most twice; the others answer 429 with retry-after', async () => {
    const id = await world.addWecom();
    const statuses: number[] = [];
    const retryAfter: Array<string | null> = [];
    for (let i = 0; i < 6; i++) {
      const res = await test(id, 'owner1');
      statuses.push(res.status);
      if (res.status === 429) retryAfter.push(res.headers.get('retry-after'));
      world.now += 1_000;
    }
    expect(world.wechat.messagesTo('wecom').length).toBeLessThanOrEqual(2);
    expect(statuses.filter((s) => s === 200)).toHaveLength(world.wechat.messagesTo('wecom').length);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(4);
    // The first test was at T0; a minute after it the robot may be tested again.
    expect(retryAfter[0]).toBe(String((CHANNEL_TEST_INTERVAL_MS - 1_000) / 1000));
  });

  it('test a channel again once a minute has passed', async () => {
    const id = await world.addWecom();
    expect((await test(id, 'owner1')).status).toBe(200);
    world.now += CHANNEL_TEST_INTERVAL_MS;
    expect((await test(id, 'owner1')).status).toBe(200);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(2);
  });

  it('answer 403 to a member testing a team robot, and send nothing', async () => {
    const id = await world.addWecom();
    const res = await test(id, 'member1');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('owners_only');
    expect(world.wechat.messagesTo('wecom')).toHaveLength(0);
  });

  it('let only its member test a personal channel: an owner gets 403, another workspace 404', async () => {
    const id = await addPersonal('member1');
    expect((await test(id, 'owner1')).status).toBe(403);
    expect((await test(id, 'owner2')).status).toBe(404);
    expect((await test(id, 'member1')).status).toBe(200);
    expect(world.wechat.messagesTo('serverchan')).toHaveLength(1);
  });

  it('wait while a delivery holds the channel’s lease, and keep the channel’s spacing after a test', async () => {
    const id = await world.addWecom();
    await world.env.DB.prepare('UPDATE channels SET lease_token = ?, lease_until = ? WHERE id = ?').bind('someone', world.now + 30_000, id).run();
    const busy = await test(id, 'owner1');
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('30');
    await world.env.DB.prepare('UPDATE channels SET lease_token = NULL, lease_until = NULL WHERE id = ?').bind(id).run();

    expect((await test(id, 'owner1')).status).toBe(200);
    const row = await world.env.DB.prepare('SELECT next_send_at, lease_token FROM channels WHERE id = ?').bind(id).first<{ next_send_at: number; lease_token: string | null }>();
    expect(row).toEqual({ next_send_at: world.now + CHANNEL_SPACING_MS.wecom, lease_token: null });
  });

  it('wake the deliveries a test held up, for when the channel’s spacing allows', async () => {
    const id = await world.addWecom();
    // An alert arrives while the channel is leased (as a test holds it): its delivery waits as pending.
    await world.env.DB.prepare('UPDATE channels SET lease_token = ?, lease_until = ? WHERE id = ?').bind('a-test', world.now + 1_000, id).run();
    await world.fanOut([await world.recordEvent(odrEvent('e1'))]);
    expect(await world.deliveries()).toEqual([expect.objectContaining({ channel_id: id, state: 'pending' })]);
    // Only the safety net (a minute away) would find it; the test's release must wake it sooner.
    world.queued.length = 0;
    world.now += 1_000;
    expect((await test(id, 'owner1')).status).toBe(200);
    await world.advance(CHANNEL_SPACING_MS.wecom + 1_000);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(2);
    expect(await world.deliveries()).toEqual([expect.objectContaining({ channel_id: id, state: 'sent' })]);
  });
});
