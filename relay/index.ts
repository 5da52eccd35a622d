/** The relay Worker: HTTP to the app, cron to the scheduled entry, queue messages to their consumers. */
import { handleDeliveryQueue } from './alerts/queue.ts';
import { handleDigestQueue } from './digest/digest-queue.ts';
import { createApp } from './app.ts';
import type { Env } from './env.ts';
import { handleJobQueue } from './pipeline/consumer.ts';
import { pipelineDeps } from './pipeline/deps.ts';
import { platformDeps, systemPlatform } from './platform-deps.ts';
import { handleScheduled } from './scheduled.ts';

const app = createApp(systemPlatform);

export default {
  fetch: app.fetch,
  scheduled: (controller, env) => handleScheduled(controller, env, platformDeps(env, systemPlatform)),
  async queue(batch, env, ctx) {
    const deps = platformDeps(env, systemPlatform);
    if (batch.queue === 'storewatch-deliveries') return handleDeliveryQueue(batch, env, deps);
    if (batch.queue === 'storewatch-digests') return handleDigestQueue(batch, env, deps);
    return handleJobQueue(batch, env, ctx, pipelineDeps(deps));
  },
} satisfies ExportedHandler<Env>;
