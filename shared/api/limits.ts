/**
 * The caps a workspace and its members live within, and the `limit_reached` answer that names one.
 *
 * Sized for the largest team the relay is built for - 500 stores in one workspace - with room to
 * spare (an agency that grows, the demo stores beside its own), while keeping what one alert can
 * fan out to, and what one workspace can cost the others, bounded:
 *  - stores: 1,000, each polled hourly by default (about 24,000 report jobs a day at most);
 *  - team channels: 20 WeCom robots - more groups than a team of that size keeps;
 *  - personal channels: 5 per member (ServerChan, PushPlus, the Official Account binding);
 *  - rule overrides: 4,000 per-store and per-marketplace entries, four for each of 1,000 stores.
 */
import type * as v from 'valibot';
import type { AlertRulesInput } from './rules.ts';

export const LIMITS = {
  storesPerWorkspace: 1000,
  teamChannelsPerWorkspace: 20,
  personalChannelsPerMember: 5,
  ruleOverridesPerWorkspace: 4000,
} as const;

export type LimitName = keyof typeof LIMITS;

/**
 * `POST /v1/channels/:id/test` at most once a minute per channel (a `429` with `retry-after`
 * otherwise): a WeCom robot takes 20 messages a minute, and tests must not use up what real
 * alerts need.
 */
export const CHANNEL_TEST_INTERVAL_MS = 60_000;

/** What each cap counts, for the error message. */
const COUNTED: Record<LimitName, string> = {
  storesPerWorkspace: 'stores in this workspace',
  teamChannelsPerWorkspace: 'team channels (WeCom robots) in this workspace',
  personalChannelsPerMember: 'personal channels of yours',
  ruleOverridesPerWorkspace: 'per-store and per-marketplace rule entries',
};

/** The `error` of a 409 `limit_reached`: the code, a sentence naming the cap, and the cap itself. */
export function limitReached(name: LimitName): { code: 'limit_reached'; message: string; limit: LimitName; max: number } {
  const max = LIMITS[name];
  return { code: 'limit_reached', message: `at most ${max} ${COUNTED[name]} (${name}); remove one first`, limit: name, max };
}

/** Per-store and per-marketplace entries of a rules document (what `ruleOverridesPerWorkspace` caps). */
export function ruleOverrideCount(rules: v.InferOutput<typeof AlertRulesInput>): number {
  const size = (r: Record<string, unknown> | undefined) => (r ? Object.keys(r).length : 0);
  return size(rules.kindsByStore) + size(rules.kindsByMarketplace) + size(rules.thresholds?.stores) + size(rules.thresholds?.marketplaces);
}
