/** The DIGESTS queue consumer: each message names a channel whose daily digest to look at. */
import { keysAtStart } from '../crypto/key-check.ts';
import type { Env } from '../env.ts';
import type { PlatformDeps } from '../platform-deps.ts';
import { digestChannel } from './digest-channel.ts';
import { isDigestJob } from './digest-dispatch.ts';

/**
 * Channels one invocation looks at (wrangler.toml's `max_batch_size` for this queue is the same):
 * composing one digest reads the workspace's whole overview (a handful of D1 calls however many
 * stores), and its send may fetch an Official Account token first, so one is what keeps every
 * invocation far inside the free plan's 50 D1 queries and 50 subrequests.
 */
export const DIGEST_BATCH_CHANNELS = 1;

/**
 * `queue()` handler for `storewatch-digests`. Messages for one channel in one batch are one look.
 * A message is acked once its channel was looked at (a digest sent, retried later, not due, or
 * claimed by another consumer); a thrown error retries it, and the cron's pick is behind that too.
 * Channels past DIGEST_BATCH_CHANNELS (a larger batch than configured) go back to the queue at once.
 */
export async function handleDigestQueue(batch: MessageBatch<unknown>, env: Env, deps: PlatformDeps): Promise<void> {
  // Unbound channel secrets are upgraded before the first send of this instance (once).
  await keysAtStart(env, deps.now()).catch(() => undefined);
  const byChannel = new Map<string, Message<unknown>[]>();
  for (const message of batch.messages) {
    if (!isDigestJob(message.body)) {
      message.ack(); // not ours to understand; retrying would not help
      continue;
    }
    byChannel.set(message.body.channelId, [...(byChannel.get(message.body.channelId) ?? []), message]);
  }
  const channels = [...byChannel];
  for (const [, messages] of channels.slice(DIGEST_BATCH_CHANNELS)) for (const m of messages) m.retry({ delaySeconds: 0 });
  for (const [channelId, messages] of channels.slice(0, DIGEST_BATCH_CHANNELS)) {
    try {
      await digestChannel(env, deps, channelId, deps.now());
      for (const m of messages) m.ack();
    } catch {
      for (const m of messages) m.retry({ delaySeconds: 30 });
    }
  }
}
