/**
 * The fault suite's WeChat half (issue 7, "Fault suite"): seeded, bounded runs from a seller's
 * report to the phone. Each run polls one store a few times while Amazon misbehaves (the pipeline
 * suite's faults), fans the changes out to 1-4 WeChat channels that misbehave too (WeCom 45009,
 * -1, 45033, 93000; OA -1, 45009, 40001, 43004; ServerChan and PushPlus errors; HTTP 502, resets,
 * timeouts, answers lost after delivery), while consumers are killed between the outbox's steps, queue messages arrive twice or
 * again after a kill, wake-ups are lost and the pipeline dies before fan-out. Then the queue and
 * the cron sweep run until nothing is left to do (bounded), and fault-wechat-invariants.ts checks
 * what the phones saw.
 */
import { expect } from 'vitest';
import type { ChannelType } from '../../../shared/alerts/channel-verdicts.ts';
import { advanceJob, pollStore } from '../../../relay/pipeline/consumer.ts';
import { STALLED_AFTER_MS, resumeStalledJobs } from '../../../relay/pipeline/schedule.ts';
import { FAULTS, SEED, prng } from './fault-suite.ts';
import { checkWechatInvariants } from './fault-wechat-invariants.ts';
import { type WechatTally, emptyTally } from './fault-wechat-tally.ts';
import { WechatFaultWorld } from './fault-wechat-world.ts';
import { CA, US } from './pipeline-world.ts';

/** How each channel type says "never again", for the tally. */
const PERMANENT: Record<ChannelType, string> = { wecom: 'wecom_93000', oa: 'oa_43004', serverchan: 'serverchan_bad_key', pushplus: 'pushplus_903' };

/** Its own seed space, apart from the pipeline suite's runs. */
const WECHAT_SEED = SEED + 500_000;

/** One poll of the store with Amazon faults, its job driven through the JOBS messages to the end. */
async function poll(world: WechatFaultWorld): Promise<boolean> {
  const { pipeline, random, tally } = world;
  for (const id of [US, CA]) {
    if (random() < 0.7) pipeline.figures[id] = { odrMfn: { defects: Math.floor(random() * 5), orders: 250 }, late: { late: Math.floor(random() * 14), orders: 300 } };
  }
  for (let f = Math.floor(random() * 3); f > 0; f--) {
    const [op, fault] = FAULTS[Math.floor(random() * FAULTS.length)]!;
    pipeline.amazon.fail(op, fault);
    tally.amazonFaults++;
  }
  const storeId = world.storeId;
  const jobId = await pollStore(pipeline.env, pipeline.deps, world.ctx, storeId, 'schedule').catch(() => pollStore(pipeline.env, pipeline.deps, world.ctx, storeId, 'schedule'));
  await world.settleBackground();
  if (!jobId) return false; // authorization lost: the store is no longer polled
  for (let i = 0; i < 200; i++) {
    if (pipeline.sent.length === 0) {
      const open = await pipeline.env.DB.prepare('SELECT 1 FROM report_jobs WHERE id = ? AND finished_at IS NULL').bind(jobId).first();
      if (!open) return true;
      world.now += STALLED_AFTER_MS + 1000; // the cron finds the stalled job
      await resumeStalledJobs(pipeline.env, world.now);
      continue;
    }
    const message = pipeline.sent.shift()!;
    world.now += message.delaySeconds * 1000;
    if (message.body.kind !== 'step') continue;
    // The immediate delivery attempt under waitUntil can die too.
    if (random() < 0.15) world.crashAt = (['claimed', 'sent', 'recorded'] as const)[Math.floor(random() * 3)]!;
    try {
      await advanceJob(pipeline.env, pipeline.deps, world.ctx, message.body.jobId);
    } catch {
      pipeline.sent.unshift(message); // the step was saved, fan-out died: the redelivery finds nothing to do
    }
    await world.settleBackground();
    if (random() < 0.1) {
      await advanceJob(pipeline.env, pipeline.deps, world.ctx, message.body.jobId).catch(() => undefined); // delivered twice
      await world.settleBackground();
      tally.redeliveries++;
    }
  }
  throw new Error(`${storeId}: job ${jobId} did not finish in 200 steps`);
}

export async function oneWechatRun(run: number, tally: WechatTally): Promise<void> {
  const random = prng(WECHAT_SEED + run);
  const world = await WechatFaultWorld.create(run, random, tally);
  const polls = 2 + Math.floor(random() * 2);
  for (let p = 0; p < polls; p++) {
    if (!(await poll(world))) break;
    // The next poll comes an hour later; deliveries of this one (and their retries) run meanwhile.
    const nextPoll = world.now + 3_600_000;
    expect(await world.runAlerts(nextPoll), `${world.storeId}: alerting did not keep up in 400 steps`).toBe(true);
    world.now = Math.max(world.now, nextPoll);
  }
  expect(await world.runAlerts(null), `${world.storeId}: not quiet after 400 steps`).toBe(true);
  const figures = await checkWechatInvariants(world);
  await world.cleanUp();
  tally.runs++;
  tally.alerts += figures.alerts;
  tally.messages += figures.messages;
  tally.crashRepeats += figures.crashRepeats;
  tally.lostAnswerRepeats += figures.lostAnswerRepeats;
  tally.falseAlarms += figures.falseAlarms;
  tally.lateOaRepeats += figures.lateOaRepeats;
  tally.brokenChannels += figures.brokenChannels;
  for (const s of world.wechat.sends) {
    if (s.answer === 'accepted' || s.answer === 'refused') continue;
    const kind = s.answer === 'permanent' ? PERMANENT[world.wechat.channels.get(s.channelId)!.type] : s.answer;
    tally.wechatFaults[kind] = (tally.wechatFaults[kind] ?? 0) + 1;
  }
  for (const f of world.wechat.tokenFaultsMet) tally.wechatFaults[`token_${f}`] = (tally.wechatFaults[`token_${f}`] ?? 0) + 1;
}

/** Runs `count` runs from `first`, each seeded on its own so two files can split the work. */
export async function wechatFaultRuns(first: number, count: number): Promise<WechatTally> {
  const tally = emptyTally();
  for (let run = first; run < first + count; run++) await oneWechatRun(run, tally);
  const faults = Object.entries(tally.wechatFaults)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const crashes = Object.entries(tally.crashes).map(([k, n]) => `${k} ${n}`).join(', ');
  console.info(
    `WeChat fault suite runs ${first}-${first + count - 1}: ${tally.runs} runs, ${tally.alerts} alerts in ${tally.messages} messages; ` +
      `${tally.amazonFaults} Amazon faults; WeChat faults: ${faults}; crashes: ${crashes}; ${tally.redeliveries} redeliveries, ` +
      `${tally.lostWakes} lost wake-ups; possible repeats (all marked): ${tally.crashRepeats} after a kill in the crash window, ` +
      `${tally.lostAnswerRepeats} after a lost answer; ${tally.falseAlarms} resend marks without a repeat; ` +
      `${tally.lateOaRepeats} OA repeats after the client_msg_id window; ` +
      `${tally.brokenChannels} channels broken`,
  );
  return tally;
}
