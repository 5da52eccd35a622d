import { describe, expect, it } from 'vitest';
import type { ChannelVerdict } from '../../shared/alerts/channel-verdicts.ts';
import {
  CHANNEL_SPACING_MS,
  type ChannelBatchState,
  type Delivery,
  OUTBOX,
  backoffMs,
  isClaimable,
  nextStep,
} from '../../shared/alerts/outbox.ts';

const NOW = 1_800_000_000_000;

function delivery(id: string, over: Partial<Delivery> = {}): Delivery {
  return {
    id,
    channelId: 'c1',
    state: 'pending',
    attempts: 0,
    nextAttemptAt: NOW,
    claimToken: null,
    claimedAt: null,
    messageKey: null,
    lastError: null,
    sentAt: null,
    messageId: null,
    ...over,
  };
}

function batch(deliveries: Delivery[], over: Partial<ChannelBatchState['channel']> = {}): ChannelBatchState {
  return { channel: { id: 'c1', type: 'wecom', state: 'ok', nextSendAt: 0, ...over }, deliveries };
}

const SENT: ChannelVerdict = { outcome: 'sent', code: '0', messageId: null };
const RETRY: ChannelVerdict = { outcome: 'retry', code: '-1', reason: 'busy', notBefore: null };

describe('claiming', () => {
  it('claims every due delivery of a channel into one send', () => {
    const step = nextStep(batch([delivery('a'), delivery('b'), delivery('later', { nextAttemptAt: NOW + 1 })]), { type: 'claim', token: 't1' }, NOW);
    expect(step.effects).toEqual([{ type: 'send', token: 't1', messageKey: 't1', deliveryIds: ['a', 'b'], resend: false }]);
    expect(step.state.deliveries.map((d) => [d.id, d.state, d.attempts])).toEqual([
      ['a', 'sending', 1],
      ['b', 'sending', 1],
      ['later', 'pending', 0],
    ]);
  });

  it('claims nothing twice: a second claim of the same rows finds none due', () => {
    const first = nextStep(batch([delivery('a')]), { type: 'claim', token: 't1' }, NOW);
    const second = nextStep(first.state, { type: 'claim', token: 't2' }, NOW + 1000);
    expect(second.effects.some((e) => e.type === 'send')).toBe(false);
    expect(second.effects).toEqual([{ type: 'wake', at: NOW + OUTBOX.stuckAfterMs }]);
  });

  it('takes over a claim whose consumer died, marking the send as a possible repeat', () => {
    const stuck = delivery('a', { state: 'sending', attempts: 1, claimToken: 'dead', claimedAt: NOW - OUTBOX.stuckAfterMs, messageKey: 'dead' });
    expect(isClaimable(stuck, NOW)).toBe(true);
    expect(isClaimable(stuck, NOW - 1)).toBe(false);
    const step = nextStep(batch([stuck]), { type: 'claim', token: 't2' }, NOW);
    expect(step.effects).toEqual([{ type: 'send', token: 't2', messageKey: 'dead', deliveryIds: ['a'], resend: true }]);
  });

  it('resends an interrupted message exactly as it was, under its old key, before anything new', () => {
    const old = { state: 'sending' as const, attempts: 1, claimToken: 'x', claimedAt: NOW - OUTBOX.stuckAfterMs, messageKey: 'm1' };
    const step = nextStep(batch([delivery('a', old), delivery('new'), delivery('b', old)]), { type: 'claim', token: 't2' }, NOW);
    expect(step.effects).toEqual([{ type: 'send', token: 't2', messageKey: 'm1', deliveryIds: ['a', 'b'], resend: true }]);
    expect(step.state.deliveries.find((d) => d.id === 'new')!.state).toBe('pending');
  });

  it('waits for the channel\'s rate limit instead of sending', () => {
    const step = nextStep(batch([delivery('a')], { nextSendAt: NOW + 3000 }), { type: 'claim', token: 't1' }, NOW);
    expect(step.effects).toEqual([{ type: 'wake', at: NOW + 3000 }]);
    expect(step.state.deliveries[0]!.state).toBe('pending');
  });

  it('marks due deliveries of a broken channel dead without sending', () => {
    const step = nextStep(batch([delivery('a')], { state: 'broken' }), { type: 'claim', token: 't1' }, NOW);
    expect(step.effects).toEqual([]);
    expect(step.state.deliveries[0]).toMatchObject({ state: 'dead', lastError: 'channel broken' });
  });
});

describe('settling a verdict', () => {
  const claimed = () => nextStep(batch([delivery('a'), delivery('b')]), { type: 'claim', token: 't1' }, NOW).state;

  it('marks the whole batch sent and spaces the next message by the channel\'s rate limit', () => {
    const step = nextStep(claimed(), { type: 'verdict', token: 't1', verdict: SENT }, NOW + 200);
    expect(step.state.deliveries.map((d) => d.state)).toEqual(['sent', 'sent']);
    expect(step.effects).toEqual([{ type: 'channel_ok', nextSendAt: NOW + 200 + CHANNEL_SPACING_MS.wecom }]);
  });

  it('ignores a verdict for a claim it does not hold (replayed or taken over)', () => {
    const state = claimed();
    const step = nextStep(state, { type: 'verdict', token: 'other', verdict: SENT }, NOW);
    expect(step).toEqual({ state, effects: [] });
    const done = nextStep(state, { type: 'verdict', token: 't1', verdict: SENT }, NOW);
    expect(nextStep(done.state, { type: 'verdict', token: 't1', verdict: RETRY }, NOW).state).toEqual(done.state);
  });

  it('schedules a transient failure with backoff, the batch together', () => {
    const step = nextStep(claimed(), { type: 'verdict', token: 't1', verdict: RETRY }, NOW);
    const at = NOW + backoffMs(1, 'c1');
    expect(step.state.deliveries.map((d) => [d.state, d.nextAttemptAt])).toEqual([
      ['failed', at],
      ['failed', at],
    ]);
    expect(step.effects).toEqual([{ type: 'wake', at }]);
  });

  it('lets a clearly refused message rejoin the next batch as new (it never went out)', () => {
    const failed = nextStep(claimed(), { type: 'verdict', token: 't1', verdict: RETRY }, NOW).state;
    const later = NOW + OUTBOX.maxDelayMs;
    const next = nextStep({ ...failed, deliveries: [...failed.deliveries, delivery('c', { nextAttemptAt: later })] }, { type: 'claim', token: 't2' }, later);
    expect(next.effects).toEqual([{ type: 'send', token: 't2', messageKey: 't2', deliveryIds: ['a', 'b', 'c'], resend: false }]);
  });

  it('resends a message that got no answer under its key, marked, on its own (it may have arrived)', () => {
    const lost: ChannelVerdict = { outcome: 'retry', code: 'network', reason: 'no answer', notBefore: null };
    const failed = nextStep(claimed(), { type: 'verdict', token: 't1', verdict: lost }, NOW).state;
    const later = NOW + OUTBOX.maxDelayMs;
    const next = nextStep({ ...failed, deliveries: [...failed.deliveries, delivery('c', { nextAttemptAt: later })] }, { type: 'claim', token: 't2' }, later);
    expect(next.effects).toEqual([{ type: 'send', token: 't2', messageKey: 't1', deliveryIds: ['a', 'b'], resend: true }]);
  });

  it('keeps a resend that was refused a resend: the next attempt is still marked and keeps the key', () => {
    const old = { state: 'sending' as const, attempts: 1, claimToken: 'x', claimedAt: NOW - OUTBOX.stuckAfterMs, messageKey: 'm1' };
    const resent = nextStep(batch([delivery('a', old)]), { type: 'claim', token: 't2' }, NOW).state;
    const failed = nextStep(resent, { type: 'verdict', token: 't2', verdict: RETRY }, NOW).state;
    const later = NOW + OUTBOX.maxDelayMs;
    const next = nextStep({ ...failed, deliveries: [...failed.deliveries, delivery('new', { nextAttemptAt: later })] }, { type: 'claim', token: 't3' }, later);
    expect(next.effects).toEqual([{ type: 'send', token: 't3', messageKey: 'm1', deliveryIds: ['a'], resend: true }]);
  });

  it('honours the channel\'s own "not before" when it is later than the backoff', () => {
    const step = nextStep(claimed(), { type: 'verdict', token: 't1', verdict: { ...RETRY, notBefore: NOW + 3_600_000 } }, NOW);
    expect(step.state.deliveries[0]!.nextAttemptAt).toBe(NOW + 3_600_000);
  });

  it('gives up after the last attempt', () => {
    const tired = nextStep(batch([delivery('a', { attempts: OUTBOX.maxAttempts - 1 })]), { type: 'claim', token: 't1' }, NOW).state;
    const step = nextStep(tired, { type: 'verdict', token: 't1', verdict: RETRY }, NOW);
    expect(step.state.deliveries[0]).toMatchObject({ state: 'dead' });
    expect(step.effects).toEqual([]);
  });

  it('stops at once on a broken channel and tells the shell to mark it, and to drop an unfollowed binding', () => {
    const broken: ChannelVerdict = { outcome: 'broken', code: '43004', reason: 'unfollowed', unfollowed: true };
    const step = nextStep(claimed(), { type: 'verdict', token: 't1', verdict: broken }, NOW);
    expect(step.state.deliveries.map((d) => d.state)).toEqual(['dead', 'dead']);
    expect(step.state.channel.state).toBe('broken');
    expect(step.effects).toEqual([{ type: 'channel_broken', reason: 'unfollowed' }, { type: 'disable_binding' }]);
  });

  it('kills a rejected message but leaves the channel working', () => {
    const step = nextStep(claimed(), { type: 'verdict', token: 't1', verdict: { outcome: 'rejected', code: '45002', reason: 'too long' } }, NOW);
    expect(step.state.deliveries.map((d) => d.state)).toEqual(['dead', 'dead']);
    expect(step.state.channel.state).toBe('ok');
  });
});

describe('backoffMs', () => {
  it('doubles from 30 s, caps at an hour and jitters the same way for the same input', () => {
    expect(backoffMs(1, 'x')).toBeGreaterThanOrEqual(24_000);
    expect(backoffMs(1, 'x')).toBeLessThanOrEqual(30_000);
    expect(backoffMs(2, 'x')).toBeGreaterThan(backoffMs(1, 'x'));
    expect(backoffMs(40, 'x')).toBeLessThanOrEqual(OUTBOX.maxDelayMs);
    expect(backoffMs(3, 'x')).toBe(backoffMs(3, 'x'));
    expect(new Set(['a', 'b', 'c', 'd'].map((seed) => backoffMs(5, seed))).size).toBeGreaterThan(1);
  });
});
