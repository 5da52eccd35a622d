import { describe, expect, it } from 'vitest';
import { wechatFaultRuns } from './helpers/fault-wechat-suite.ts';

// Half of the 500 seeded WeChat fault-suite runs (the other half is fault-suite-wechat-b): two files share the cores.
describe('WeChat fault suite, runs 0-249', () => {
  it('delivers each real change once per subscribed channel through WeChat and Amazon faults, killed consumers and redeliveries', async () => {
    const tally = await wechatFaultRuns(0, 250);
    expect(tally.runs).toBe(250);
    // The runs must actually exercise what they claim to: each kind of trouble happened.
    expect(Object.keys(tally.wechatFaults).length).toBeGreaterThanOrEqual(15);
    expect(Math.min(...Object.values(tally.crashes), tally.redeliveries, tally.lostWakes, tally.crashRepeats, tally.lostAnswerRepeats, tally.brokenChannels)).toBeGreaterThan(0);
  }, 900_000);
});
