/**
 * "report to WeChat" (docs/architecture.md#performance-budgets: report ready -> WeChat request
 * sent, under 1 s at p95). Each sample is a fresh store whose US Order Defect Rate the sandbox has
 * just put over its target, so its first report raises a breach and every sample alerts; a refresh
 * fetches it. Measured from the moment the sandbox finished serving the sample's last report
 * document (the relay has the report in hand) to the moment the sandbox's WeCom robot received the
 * message. Baseline: one WeCom webhook call made straight from Node to the same sandbox - the
 * floor any sender pays.
 *
 * Each sample has a robot of its own (a new channel, the last one removed): the relay spaces one
 * robot's messages CHANNEL_SPACING_MS.wecom apart on purpose (WeCom allows 20 a minute), and an
 * alert on a quiet channel, not that deliberate wait, is what the budget is about. A new robot is
 * the same as waiting out the spacing, minus the wait.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHANNEL_SPACING_MS } from '../shared/alerts/outbox.ts';
import { type BenchRow, type BenchSection, percentile } from './rows.ts';
import { waitForJobDone } from './support/jobs.ts';
import { type LocalStack, startLocalStack } from '../scripts/local-stack.ts';
import { type DeliveredMessage, addStores, breachOrderDefectRate, deliveredMessages } from './support/stores.ts';

/** Short: only what happens after the report matters here. */
const GENERATION_MS = 500;
const SAMPLES = 20;
const WARM_UP = 1;
const BUDGET_MS = 1000;
const MESSAGE_LIMIT_MS = 30_000;
/** The baseline's own robot: its 20 a minute are not the relay's. */
const BASELINE_KEY = '0f6d2b8a-3c41-4e7d-9b52-8a1e6c4d2f90';

/** Waits for the robot's inbox to grow past `seen`; returns the newest message. */
async function nextMessage(stack: LocalStack, seen: number): Promise<DeliveredMessage> {
  const deadline = Date.now() + MESSAGE_LIMIT_MS;
  while (Date.now() < deadline) {
    const messages = await deliveredMessages(stack.sandbox);
    if (messages.length > seen) return messages[0]!;
    await sleep(10);
  }
  throw new Error(`no WeChat message within ${MESSAGE_LIMIT_MS} ms`);
}

/** One robot message sent by hand, as the relay's outbound network would carry it. */
async function directSend(stack: LocalStack, n: number): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${stack.sandboxUrl}/cgi-bin/webhook/send?key=${BASELINE_KEY}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-host': 'qyapi.weixin.qq.com' },
    body: JSON.stringify({ msgtype: 'markdown', markdown: { content: `bench baseline ${n}: US ODR 1.2 % over its 1 % target` } }),
  });
  const body = (await res.json()) as { errcode?: number };
  if (!res.ok || body.errcode !== 0) throw new Error(`direct WeCom send failed: HTTP ${res.status} ${JSON.stringify(body)}`);
  return performance.now() - started;
}

async function run(): Promise<BenchRow[]> {
  const stack = await startLocalStack({ reportProcessingMs: GENERATION_MS });
  try {
    const stores = await addStores(stack.sandbox, stack.owner, 0, WARM_UP + SAMPLES, 'WX');
    const samples: number[] = [];
    let channelId: string | null = null;
    for (const store of stores) {
      if (channelId) await stack.owner.call('DELETE', `/v1/channels/${channelId}`);
      const webhook = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${randomUUID()}`;
      const created = await stack.owner.call('POST', '/v1/channels', { type: 'wecom', name: `Bench robot ${store.sellerId}`, secret: webhook });
      channelId = String((created.channel as { id: string }).id);
      await breachOrderDefectRate(stack.sandbox, store.sellerId);
      const seen = (await deliveredMessages(stack.sandbox)).length;
      const documentsBefore = stack.documentsServedAt.length;
      const { jobId } = await stack.owner.call('POST', `/v1/stores/${store.storeId}/refresh`);
      const message = await nextMessage(stack, seen);
      // The alert of this sample's breach (订单缺陷率: Order Defect Rate), not some other message.
      if (!message.text.includes(store.name) || !message.text.includes('订单缺陷率')) throw new Error(`unexpected WeChat message: ${message.text.slice(0, 200)}`);
      const receivedAt = message.at;
      await waitForJobDone(stack.owner, String(jobId), MESSAGE_LIMIT_MS);
      const served = stack.documentsServedAt.slice(documentsBefore).filter((at) => at <= receivedAt);
      if (served.length === 0) throw new Error('a message arrived before its report document was served');
      samples.push(receivedAt - served.at(-1)!);
    }
    const measured = samples.slice(WARM_UP);
    const direct: number[] = [];
    for (let i = 0; i < SAMPLES; i++) direct.push(await directSend(stack, i));
    const note =
      `${SAMPLES} refreshes one at a time, each of a fresh store whose US ODR breaches (so each alerts once, WeCom group robot channel); ` +
      'from the sandbox serving the last report document to its WeCom robot receiving the message (same clock); ' +
      `a new robot per sample, so the relay's deliberate ${CHANNEL_SPACING_MS.wecom / 1000} s spacing of one robot's messages is not in the figure. ` +
      `Baseline: one webhook POST from Node to the same sandbox, ${SAMPLES} times.`;
    return [50, 95].map((p) => ({
      name: `report -> WeChat robot received, p${p}`,
      value: percentile(measured, p),
      unit: 'ms',
      baseline: { name: `one direct webhook call p${p}`, value: percentile(direct, p) },
      ...(p === 95 ? { budget: '< 1 s at p95', met: percentile(measured, p) < BUDGET_MS } : {}),
      note,
    }));
  } finally {
    await stack.close();
  }
}

export const reportToWechat: BenchSection = { name: 'report to WeChat', run };
