/**
 * Which alerts of a fetched feed page deserve a desktop notification: new to this browser, newer
 * than the last one announced, still open, and a problem (recoveries are good news for the feed,
 * not worth an interruption). The first sync after pairing only sets the watermark - a person who
 * just connected wants the state of things, not a burst of old alarms.
 */
import type { AlertView } from '../../../shared/api/index.ts';

export interface Announcement {
  announce: AlertView[];
  seenUpTo: number | null;
}

export function alertsToAnnounce(fetched: readonly AlertView[], known: ReadonlySet<string>, seenUpTo: number | null): Announcement {
  const newest = fetched.reduce<number | null>((max, a) => (max === null || a.createdAt > max ? a.createdAt : max), seenUpTo);
  if (seenUpTo === null) return { announce: [], seenUpTo: newest };
  const announce = fetched
    .filter((a) => !known.has(a.id) && a.createdAt > seenUpTo && a.acknowledgedAt === null && a.category === 'problem')
    .sort((a, b) => b.createdAt - a.createdAt);
  return { announce, seenUpTo: newest };
}

/** How many separate notifications one sync may raise; the rest become one summary. */
export const NOTIFY_AT_MOST = 3;

/** Open problems, for the popup's count. */
export function openAlerts(alerts: readonly AlertView[]): AlertView[] {
  return alerts.filter((a) => a.acknowledgedAt === null && a.category === 'problem');
}
