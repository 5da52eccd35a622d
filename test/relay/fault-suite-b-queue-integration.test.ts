import { describe, expect, it } from 'vitest';
import { faultRuns } from './helpers/fault-suite.ts';

// Half of the 1,000 seeded fault-suite runs (the other half is fault-suite-a): two files share the cores.
describe('pipeline fault suite, runs 500-999', () => {
  it('keeps every invariant through Amazon faults, duplicate deliveries, crashes and lost messages', async () => {
    const tally = await faultRuns(500, 500);
    expect(tally.faults).toBeGreaterThan(500);
    expect(tally.replays * tally.crashes * tally.lostMessages).toBeGreaterThan(0);
  }, 600_000);
});
