/**
 * The daily digest's part of the Cron Trigger (relay/scheduled.ts): only picks the channels whose
 * digest may be due - one indexed range read (relay/digest/digest-db.ts `takeDueChannels`) - and
 * hands each to the DIGESTS queue as a message of its own. Composing and sending happen in the
 * queue's consumer, one channel per invocation (relay/digest/digest-queue.ts), so however many
 * robots share 09:00, a tick costs one D1 call and a queue call per hundred channels.
 */
import type { Env } from '../env.ts';
import { DIGEST_LEASE_MS, takeDueChannels } from './digest-db.ts';

/**
 * Channels picked per tick. Far more than one team has (20 robots at most), enough for a relay of
 * many workspaces to send every 09:00 digest from one tick; the rest wait for the next tick.
 */
export const DIGEST_PICK_LIMIT = 500;
/**
 * How long a picked channel is left to its message before the cron picks it again: at least a
 * send's claim (DIGEST_LEASE_MS), so a consumer that died mid-send has let go by then.
 */
export const DIGEST_PICK_LEASE_MS = 2 * DIGEST_LEASE_MS;
/** Cloudflare Queues take at most 100 messages in one sendBatch. */
const SEND_BATCH = 100;

/** A DIGESTS queue message: "look at this channel's daily digest". */
export interface DigestJob {
  kind: 'digest';
  channelId: string;
}

export function isDigestJob(body: unknown): body is DigestJob {
  return typeof body === 'object' && body !== null && (body as DigestJob).kind === 'digest' && typeof (body as DigestJob).channelId === 'string';
}

export async function dispatchDueDigests(env: Pick<Env, 'DB' | 'DIGESTS'>, now: number): Promise<{ picked: number }> {
  const channels = await takeDueChannels(env.DB, now, DIGEST_PICK_LEASE_MS, DIGEST_PICK_LIMIT);
  for (let i = 0; i < channels.length; i += SEND_BATCH) {
    await env.DIGESTS.sendBatch(channels.slice(i, i + SEND_BATCH).map((channelId) => ({ body: { kind: 'digest', channelId } satisfies DigestJob })));
  }
  return { picked: channels.length };
}
