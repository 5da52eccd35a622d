import { describe, expect, it } from 'vitest';
import { firstSlotAtOrAfter, nextPollAt, planPolls, pollPhase } from '../../shared/poll-plan.ts';

const HOUR = 3_600_000;

describe('poll plan', () => {
  it('gives each store a stable phase within the day', () => {
    expect(pollPhase('3f1c2a8e-1b2c-4d5e-8f90-123456789abc')).toBe(pollPhase('3f1c2a8e-1b2c-4d5e-8f90-123456789abc'));
    const phases = Array.from({ length: 1000 }, (_, i) => pollPhase(`store-${i}`));
    expect(Math.min(...phases)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...phases)).toBeLessThan(86_400_000);
    // Spread: every one of the day's 24 hours holds some of 1,000 stores.
    expect(new Set(phases.map((p) => Math.floor(p / HOUR))).size).toBe(24);
  });

  it('puts the next poll on the phase, at least half an interval away', () => {
    expect(firstSlotAtOrAfter(10 * HOUR, 17 * 60_000, HOUR)).toBe(10 * HOUR + 17 * 60_000);
    expect(firstSlotAtOrAfter(10 * HOUR + 18 * 60_000, 17 * 60_000, HOUR)).toBe(11 * HOUR + 17 * 60_000);
    expect(nextPollAt(10 * HOUR + 17 * 60_000, 17 * 60_000, HOUR)).toBe(11 * HOUR + 17 * 60_000);
    // Checked at 10:50, the 11:17 slot is under half an hour away: the next poll is at 12:17.
    expect(nextPollAt(10 * HOUR + 50 * 60_000, 17 * 60_000, HOUR)).toBe(12 * HOUR + 17 * 60_000);
    expect(nextPollAt(10 * HOUR + 50 * 60_000, 17 * 60_000 + 3 * HOUR, HOUR)).toBe(12 * HOUR + 17 * 60_000);
  });

  it('takes candidates in order up to the tick, skipping a seller past its quota', () => {
    const store = (id: string, seller: string, marketplaces = 3) => ({ id, workspace_id: 'w', seller, marketplaces });
    const plan = planPolls([store('a', 's1'), store('b', 's1'), store('c', 's2'), store('d', 's3')], new Map([['s1', 10]]), 2);
    expect(plan.chosen.map((s) => s.id)).toEqual(['a', 'c']);
    expect(plan.deferred).toBe(1);
  });

  it('always lets a seller with nothing recent start one poll, even of more marketplaces than the burst', () => {
    const plan = planPolls([{ id: 'eu', workspace_id: 'w', seller: 's', marketplaces: 18 }], new Map(), 10);
    expect(plan.chosen).toHaveLength(1);
  });
});
