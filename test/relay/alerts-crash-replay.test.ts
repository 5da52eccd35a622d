import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryCheckpoint } from '../../relay/platform-deps.ts';
import { deliverChannel } from '../../relay/alerts/deliver.ts';
import { fanOutEvents } from '../../relay/alerts/fan-out.ts';
import { handleDeliveryQueue } from '../../relay/alerts/queue.ts';
import { OUTBOX } from '../../shared/alerts/outbox.ts';
import { WECOM_KEY, World, bindOfficialAccount, odrEvent } from './helpers/alerts-world.ts';

let world: World;

beforeEach(async () => {
  world = new World();
  await world.seed();
});

/** Kills the consumer at `step` of its first delivery, then lets time, queue and cron do their work. */
async function crashThenRecover(step: DeliveryCheckpoint): Promise<void> {
  world.crashAt = step;
  await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
  expect(world.crashAt, 'the crash happened').toBeNull();
  await world.advance(OUTBOX.stuckAfterMs + 30 * 60_000);
}

describe('killing the consumer in the middle of a WeCom delivery', () => {
  beforeEach(async () => {
    await world.addWecom();
  });

  it('after claiming, before sending: sent exactly once, after the claim expires', async () => {
    await crashThenRecover('claimed');
    expect(world.wechat.messagesTo('wecom')).toHaveLength(1);
    expect(await world.deliveries()).toMatchObject([{ state: 'sent', attempts: 2 }]);
  });

  it('after WeCom accepted, before recording: resent once, marked as a possible repeat (WeCom has no idempotency key)', async () => {
    await crashThenRecover('sent');
    const sent = world.wechat.messagesTo('wecom');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.text.startsWith('<font color="comment">（连接中断后重发，可能与上一条重复）</font>')).toBe(true);
    expect(await world.deliveries()).toMatchObject([{ state: 'sent', attempts: 2 }]);
  });

  it('after recording: nothing is sent again', async () => {
    await crashThenRecover('recorded');
    expect(world.wechat.messagesTo('wecom')).toHaveLength(1);
    expect(await world.deliveries()).toMatchObject([{ state: 'sent', attempts: 1 }]);
  });

  it('before fan-out finished writing: the sweep decides the event and it is sent exactly once', async () => {
    await world.recordEvent(odrEvent('s1/US/odrMfn/1')); // the pipeline died before calling fanOutEvents
    await world.advance(10 * 60_000);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(1);
    await world.advance(60 * 60_000);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(1);
  });
});

describe('killing the consumer in the middle of an Official Account delivery', () => {
  beforeEach(async () => {
    await bindOfficialAccount(world, 'member1', 'oMember1');
  });

  for (const step of ['claimed', 'sent', 'recorded'] as const) {
    it(`after "${step}": the person gets the message exactly once (client_msg_id makes the resend harmless)`, async () => {
      await crashThenRecover(step);
      expect(world.wechat.messagesTo('oa')).toHaveLength(1);
      expect(await world.deliveries()).toMatchObject([{ state: 'sent' }]);
    });
  }
});

describe('replaying every step', () => {
  it('runs two consumers, the queue and the sweep on the same channel at once and sends one message', async () => {
    const channelId = await world.addWecom();
    const row = await world.recordEvent(odrEvent('s1/US/odrMfn/1'));
    await fanOutEvents(world.env, [row], world.now, { deps: world.deps }); // no immediate attempt: all via the queue
    await fanOutEvents(world.env, [row], world.now, { deps: world.deps });
    const results = await Promise.all([
      deliverChannel(world.env, world.deps, channelId, world.now),
      deliverChannel(world.env, world.deps, channelId, world.now),
      world.drainQueue(),
      world.tick(),
    ]);
    expect(results[0].status === 'sent' || results[1].status === 'sent').toBe(true);
    await world.advance(30 * 60_000);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(1);
  });

  it('acks a queue message delivered twice and sends once', async () => {
    const channelId = await world.addWecom();
    await fanOutEvents(world.env, [await world.recordEvent(odrEvent('s1/US/odrMfn/1'))], world.now, { deps: world.deps });
    for (let i = 0; i < 2; i++) {
      const batch = createMessageBatch('storewatch-deliveries', [{ id: `dup${i}`, timestamp: world.now, attempts: i + 1, body: { channelId } }]);
      const ctx = createExecutionContext();
      await handleDeliveryQueue(batch, world.env, world.deps);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`dup${i}`]);
    }
    expect(world.wechat.messagesTo('wecom')).toHaveLength(1);
  });

  it('keeps what arrives while a message is on its way for the next message, without losing it', async () => {
    await world.addWecom();
    world.wechat.wecom.script(WECOM_KEY, 45009, 1); // first message refused: both alerts wait
    await world.fanOut([await world.recordEvent(odrEvent('a', { metric: 'odrMfn' }))]);
    await world.fanOut([await world.recordEvent(odrEvent('b', { metric: 'lateShipmentRate' }))]);
    await world.advance(2 * 3_600_000);
    const texts = world.wechat.messagesTo('wecom').map((m) => m.text);
    expect(texts.join('\n').match(/订单缺陷率/g)).toHaveLength(1);
    expect(texts.join('\n').match(/迟发率/g)).toHaveLength(1);
    expect((await world.deliveries()).map((d) => d.state)).toEqual(['sent', 'sent']);
  });
});
