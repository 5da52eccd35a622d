/**
 * Contract of `GET/PUT /v1/rules` (owners write) and `GET/PUT /v1/prefs` (each member their own).
 * Stored rules may be older than this contract; the relay fills gaps with shared/alerts/rules.ts.
 */
import * as v from 'valibot';
import { EVENT_KINDS } from '../alerts/rules.ts';
import { isValidTimeZone } from '../alerts/quiet-hours.ts';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(128));

const KindSwitches = v.pipe(
  v.record(v.string(), v.boolean()),
  v.check((r) => Object.keys(r).every((k) => (EVENT_KINDS as readonly string[]).includes(k)), `kinds must be among: ${EVENT_KINDS.join(', ')}`),
);

const Thresholds = v.strictObject({
  /** 0..1: how far from perfect toward the target a value may go before it warns. */
  warnMargin: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  headroomWarn: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000))),
});

const ThresholdOverrides = v.strictObject({
  all: v.optional(Thresholds),
  metrics: v.optional(v.record(v.pipe(v.string(), v.regex(/^[A-Za-z]{2,64}$/, 'a metric id')), Thresholds)),
});

export const AlertRulesInput = v.strictObject({
  kinds: v.optional(KindSwitches),
  kindsByStore: v.optional(v.record(Id, KindSwitches)),
  kindsByMarketplace: v.optional(v.record(v.pipe(Id, v.includes('/', 'keys are storeId/marketplaceId')), KindSwitches)),
  thresholds: v.optional(
    v.strictObject({
      workspace: v.optional(ThresholdOverrides),
      stores: v.optional(v.record(Id, ThresholdOverrides)),
      marketplaces: v.optional(v.record(Id, ThresholdOverrides)),
    }),
  ),
  recoveryMessages: v.optional(v.boolean()),
  /** 0 turns reminders off. */
  reminderIntervalHours: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(24 * 30))),
  staleAfterHours: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(24 * 30))),
});

/** PUT body: the version last read (optimistic concurrency: 409 if someone saved since). */
export const PutRulesRequest = v.strictObject({
  version: v.pipe(v.number(), v.integer(), v.minValue(0)),
  rules: AlertRulesInput,
});
export type PutRulesRequest = v.InferOutput<typeof PutRulesRequest>;

const HhMm = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'));

export const MemberPrefsInput = v.strictObject({
  language: v.optional(v.picklist(['zh-CN', 'en'])),
  timeZone: v.optional(v.pipe(v.string(), v.maxLength(64), v.check(isValidTimeZone, 'an IANA time zone, e.g. Asia/Shanghai'))),
  quietHours: v.optional(v.nullable(v.strictObject({ start: HhMm, end: HhMm }))),
  stores: v.optional(v.union([v.literal('all'), v.pipe(v.array(Id), v.maxLength(1000))])),
  channels: v.optional(v.union([v.literal('all'), v.pipe(v.array(Id), v.maxLength(100))])),
});
export type MemberPrefsInput = v.InferOutput<typeof MemberPrefsInput>;
