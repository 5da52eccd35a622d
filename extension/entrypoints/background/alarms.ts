/**
 * One alarm drives the sync loop. It is re-aimed after every attempt at the time the sync policy
 * chose (the normal cadence, or the backoff after a failure), so a relay that is down is asked
 * less and less often, and one that is fine is asked every few minutes.
 */
import type { Browser } from 'wxt/browser';
import type { SyncState } from '../../lib/cache/cache-db.ts';

export const SYNC_ALARM = 'sync';

/** Chrome runs alarms no sooner than 30 s apart in a packed extension. */
const MIN_DELAY_MS = 30_000;

type Alarms = Pick<typeof Browser.alarms, 'create' | 'clear' | 'onAlarm'>;

export async function scheduleSync(alarms: Alarms, state: SyncState, now: number): Promise<void> {
  if (state.nextAttemptAt === null) {
    await alarms.clear(SYNC_ALARM);
    return;
  }
  await alarms.create(SYNC_ALARM, { when: Math.max(state.nextAttemptAt, now + MIN_DELAY_MS) });
}

export function onSyncAlarm(alarms: Alarms, run: () => void): void {
  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) run();
  });
}
