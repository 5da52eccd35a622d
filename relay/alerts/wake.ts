/** Asks the delivery consumer to look at channels, now or later (the DELIVERIES queue). */
import type { Env } from '../env.ts';

/** A DELIVERIES queue message: "look at this channel's outbox". */
export interface DeliveryJob {
  channelId: string;
}

/** Queues cap `delaySeconds` at 12 hours; anything later is found by the cron sweep. */
const MAX_DELAY_S = 12 * 3600;
const BATCH = 100;

export async function wakeChannels(env: Pick<Env, 'DELIVERIES'>, wakes: ReadonlyArray<{ channelId: string; at: number }>, now: number): Promise<void> {
  const earliest = new Map<string, number>();
  for (const w of wakes) earliest.set(w.channelId, Math.min(earliest.get(w.channelId) ?? Infinity, w.at));
  const messages = [...earliest].map(([channelId, at]) => ({
    body: { channelId } satisfies DeliveryJob,
    delaySeconds: Math.min(MAX_DELAY_S, Math.max(0, Math.ceil((at - now) / 1000))),
  }));
  for (let i = 0; i < messages.length; i += BATCH) await env.DELIVERIES.sendBatch(messages.slice(i, i + BATCH));
}
