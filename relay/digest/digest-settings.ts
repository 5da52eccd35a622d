/**
 * A channel's digest settings as stored: NULL columns mean the defaults (on for WeCom robots,
 * 09:00, in the channel's own time zone), so channels made before the digest get it without a
 * migration writing every row.
 */
import { DEFAULT_DIGEST_HOUR, type DigestSettings, defaultDigestSettings } from '../../shared/digest/digest-due.ts';
import type { ChannelRow } from '../alerts/settings.ts';

/** The digest columns of a `channels` row (absent before migration 0008 ran). */
export interface DigestColumns {
  digest_enabled?: number | null;
  digest_hour?: number | null;
  digest_time_zone?: string | null;
  digest_last_day?: string | null;
  digest_next_at?: number | null;
}

export type ChannelWithDigest = ChannelRow & DigestColumns;

export function digestSettingsOf(row: Pick<ChannelWithDigest, 'type' | 'time_zone' | 'digest_enabled' | 'digest_hour' | 'digest_time_zone'>): DigestSettings {
  const defaults = defaultDigestSettings(row.type);
  return {
    enabled: row.digest_enabled === null || row.digest_enabled === undefined ? defaults.enabled : row.digest_enabled === 1,
    hour: row.digest_hour ?? DEFAULT_DIGEST_HOUR,
    timeZone: row.digest_time_zone ?? row.time_zone,
  };
}
