/** The DELIVERIES queue consumer: each message names a channel whose outbox to look at. */
import { keysAtStart } from '../crypto/key-check.ts';
import type { Env } from '../env.ts';
import type { PlatformDeps } from '../platform-deps.ts';
import { deliverChannel } from './deliver.ts';
import type { DeliveryJob } from './wake.ts';

function isJob(body: unknown): body is DeliveryJob {
  return typeof body === 'object' && body !== null && typeof (body as DeliveryJob).channelId === 'string';
}

/**
 * Channels one invocation delivers to (wrangler.toml's `max_batch_size` for this queue is the same):
 * each costs three D1 round trips, a queue call and up to four fetches (the Official Account's token
 * twice, its send twice), so five stay inside the free plan's 50 per invocation with room.
 */
export const DELIVERY_BATCH_CHANNELS = 5;

/**
 * `queue()` handler for `storewatch-deliveries`. Messages for one channel in one batch are one
 * look. A message is acked once its channel was looked at (sent, idle or leased by another
 * consumer); a thrown error retries it, and the sweep is behind that too. Channels past
 * DELIVERY_BATCH_CHANNELS (a larger batch than configured) go back to the queue at once, untouched.
 */
export async function handleDeliveryQueue(
  batch: MessageBatch<unknown>,
  env: Env,
  deps: PlatformDeps,
): Promise<void> {
  // Unbound channel secrets are upgraded before the first delivery of this instance (once).
  await keysAtStart(env, deps.now()).catch(() => undefined);
  const byChannel = new Map<string, Message<unknown>[]>();
  for (const message of batch.messages) {
    if (!isJob(message.body)) {
      message.ack(); // not ours to understand; retrying would not help
      continue;
    }
    byChannel.set(message.body.channelId, [...(byChannel.get(message.body.channelId) ?? []), message]);
  }
  const channels = [...byChannel];
  for (const [, messages] of channels.slice(DELIVERY_BATCH_CHANNELS)) for (const m of messages) m.retry({ delaySeconds: 0 });
  await Promise.all(
    channels.slice(0, DELIVERY_BATCH_CHANNELS).map(async ([channelId, messages]) => {
      try {
        await deliverChannel(env, deps, channelId, deps.now());
        for (const m of messages) m.ack();
      } catch {
        for (const m of messages) m.retry({ delaySeconds: 30 });
      }
    }),
  );
}
