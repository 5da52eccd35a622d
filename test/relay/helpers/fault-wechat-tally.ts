/** What the WeChat fault suite counts, to print and to prove the runs met every kind of trouble. */
import type { DeliveryCheckpoint } from '../../../relay/platform-deps.ts';

export interface WechatTally {
  runs: number;
  amazonFaults: number;
  wechatFaults: Record<string, number>;
  crashes: Record<DeliveryCheckpoint | 'before_fan_out', number>;
  /** Queue messages delivered again: a consumer's retry after a crash, or the queue's at-least-once. */
  redeliveries: number;
  /** Wake-ups that never reached the queue (the Worker died before `sendBatch`). */
  lostWakes: number;
  alerts: number;
  messages: number;
  /** Extra copies in the crash window (accepted, killed before the record), each marked as a possible repeat. */
  crashRepeats: number;
  /** Extra copies after a lost answer (accepted, no answer reached the relay), each marked. */
  lostAnswerRepeats: number;
  /** OA resends that got through after the 10-minute client_msg_id window (a template cannot carry a mark). */
  lateOaRepeats: number;
  /** Messages marked as possible repeats that were the only copy (killed before the send). */
  falseAlarms: number;
  brokenChannels: number;
}

export function emptyTally(): WechatTally {
  return {
    runs: 0,
    amazonFaults: 0,
    wechatFaults: {},
    crashes: { claimed: 0, sent: 0, recorded: 0, before_fan_out: 0 },
    redeliveries: 0,
    lostWakes: 0,
    alerts: 0,
    messages: 0,
    crashRepeats: 0,
    lostAnswerRepeats: 0,
    lateOaRepeats: 0,
    falseAlarms: 0,
    brokenChannels: 0,
  };
}
