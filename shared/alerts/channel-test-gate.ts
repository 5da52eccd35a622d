/**
 * When a channel may take a test message. A test is one more message on the channel, so it waits
 * like any other: for the sender holding the channel's lease, for the channel's spacing (its rate
 * limit, CHANNEL_SPACING_MS), and besides for a minute since the last test. The relay's claim
 * UPDATE (relay/alerts/channels-db.ts) checks the same predicate in one statement.
 */
import { CHANNEL_TEST_INTERVAL_MS } from '../api/limits.ts';

export interface TestGateChannel {
  lastTestAt: number | null;
  nextSendAt: number;
  leaseUntil: number | null;
}

/** The earliest time the channel may be tested: `now` when it may be tested now. */
export function nextTestAt(channel: TestGateChannel, now: number): number {
  const afterLastTest = channel.lastTestAt === null ? 0 : channel.lastTestAt + CHANNEL_TEST_INTERVAL_MS;
  return Math.max(now, afterLastTest, channel.nextSendAt, channel.leaseUntil ?? 0);
}
