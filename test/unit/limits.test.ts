/** The caps contract (shared/api/limits.ts) and when a channel may take a test (shared/alerts/channel-test-gate.ts). */
import { describe, expect, it } from 'vitest';
import { nextTestAt } from '../../shared/alerts/channel-test-gate.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { CHANNEL_TEST_INTERVAL_MS, LIMITS, limitReached, ruleOverrideCount } from '../../shared/api/limits.ts';
import * as v from 'valibot';

const NOW = Date.UTC(2026, 11, 6, 4, 0);

describe('limit_reached', () => {
  it('names the cap and its value, in the message and in fields the extension can read', () => {
    const error = limitReached('personalChannelsPerMember');
    expect(error).toEqual({ code: 'limit_reached', limit: 'personalChannelsPerMember', max: 5, message: expect.stringContaining('at most 5 personal channels') });
    expect(v.safeParse(ApiError, { error }).success).toBe(true);
  });

  it('fits a workspace of 500 stores with room to spare', () => {
    expect(LIMITS.storesPerWorkspace).toBe(1000);
    expect(LIMITS.ruleOverridesPerWorkspace).toBeGreaterThanOrEqual(LIMITS.storesPerWorkspace * 4);
  });

  it('counts the per-store and per-marketplace entries of a rules document, not its switches', () => {
    expect(ruleOverrideCount({})).toBe(0);
    expect(
      ruleOverrideCount({
        kinds: { level_changed: true },
        kindsByStore: { s1: {}, s2: {} },
        kindsByMarketplace: { 's1/US': {} },
        thresholds: { workspace: {}, stores: { s1: {} }, marketplaces: { US: {}, CA: {} } },
      }),
    ).toBe(6);
  });
});

describe('when a channel may be tested', () => {
  const idle = { lastTestAt: null, nextSendAt: 0, leaseUntil: null };

  it('now, when nothing holds it', () => {
    expect(nextTestAt(idle, NOW)).toBe(NOW);
  });

  it('a minute after its last test', () => {
    expect(nextTestAt({ ...idle, lastTestAt: NOW - 20_000 }, NOW)).toBe(NOW - 20_000 + CHANNEL_TEST_INTERVAL_MS);
    expect(nextTestAt({ ...idle, lastTestAt: NOW - CHANNEL_TEST_INTERVAL_MS }, NOW)).toBe(NOW);
  });

  it('after its spacing and after the sender holding its lease, whichever is last', () => {
    expect(nextTestAt({ ...idle, nextSendAt: NOW + 3_000 }, NOW)).toBe(NOW + 3_000);
    expect(nextTestAt({ lastTestAt: NOW - 50_000, nextSendAt: NOW + 3_000, leaseUntil: NOW + 90_000 }, NOW)).toBe(NOW + 90_000);
  });
});
