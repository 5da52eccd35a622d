/** The relay Worker: HTTP to the app, cron to scheduling, queue messages to their consumers. */
import { handleDeliveryQueue } from './alerts/queue.ts';
import { createApp } from './app.ts';
import type { Env } from './env.ts';
import { handleJobQueue } from './pipeline/consumer.ts';
import { defaultPipelineDeps } from './pipeline/deps.ts';
import { handleScheduled } from './pipeline/schedule.ts';

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled: (controller, env, ctx) => handleScheduled(controller, env, ctx),
  async queue(batch, env, ctx) {
    if (batch.queue === 'storewatch-deliveries') return handleDeliveryQueue(batch, env, ctx);
    return handleJobQueue(batch, env, ctx, defaultPipelineDeps(env));
  },
} satisfies ExportedHandler<Env>;
