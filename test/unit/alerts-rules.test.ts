import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PREFS,
  DEFAULT_RULES,
  type MemberRoute,
  type StoreEvent,
  classifyEvent,
  decideAlert,
  isCritical,
  nextReminderCheck,
  reminderDue,
  routeAlert,
  withDefaults,
} from '../../shared/alerts/rules.ts';
import { quietUntil } from '../../shared/alerts/quiet-hours.ts';

const US = 'ATVPDKIKX0DER';
// 2026-03-10 14:30 UTC = 22:30 in Shanghai
const NIGHT_IN_CHINA = Date.UTC(2026, 2, 10, 14, 30);
// 2026-03-10 04:00 UTC = 12:00 in Shanghai
const NOON_IN_CHINA = Date.UTC(2026, 2, 10, 4, 0);

function event(over: Partial<StoreEvent> = {}): StoreEvent {
  return {
    key: 'k1',
    storeId: 's1',
    workspaceId: 'w1',
    createdAt: 0,
    kind: 'level_changed',
    severity: 'warning',
    marketplaceId: US,
    metric: 'odrMfn',
    from: 'ok',
    to: 'warn',
    detail: {},
    ...over,
  };
}

function member(over: Partial<MemberRoute['prefs']> = {}, channelIds = ['c1', 'c2']): MemberRoute {
  return { memberId: 'm1', prefs: { ...DEFAULT_PREFS, ...over }, channelIds };
}

const QUIET = { start: '22:00', end: '08:00' };

describe('default rules', () => {
  it('alert on every kind, send recoveries and remind daily with no configuration at all', () => {
    const rules = withDefaults(null);
    expect(Object.values(rules.kinds).every(Boolean)).toBe(true);
    expect(rules.recoveryMessages).toBe(true);
    expect(rules.reminderIntervalHours).toBe(24);
  });

  it('fill in fields that older stored rules lack, keeping what they say', () => {
    const rules = withDefaults({ recoveryMessages: false, kinds: { ...DEFAULT_RULES.kinds, data_stale: false } });
    expect(rules.recoveryMessages).toBe(false);
    expect(rules.kinds.data_stale).toBe(false);
    expect(rules.kinds.auth_lost).toBe(true);
    expect(rules.staleAfterHours).toBe(24);
  });
});

describe('classifyEvent: what the report says beside the levels', () => {
  it.each([
    ['odr_defects_rose', 'odrMfn', '0', '1', 'problem'],
    ['warning_state_changed', null, null, 'BAD', 'problem'],
    ['warning_state_changed', null, 'BAD', 'GOOD', 'recovery'],
    ['warning_state_changed', null, 'BAD', null, 'recovery'],
    ['ahr_score_changed', null, '428', '396', 'problem'],
    ['ahr_score_changed', null, '396', '428', 'recovery'],
    ['suspended_listings', null, 'false', 'true', 'problem'],
    ['suspended_listings', null, 'true', 'false', 'recovery'],
  ] as const)('alerts by default on %s (%s, %s -> %s) as a %s', (kind, metric, from, to, category) => {
    expect(classifyEvent(event({ kind, metric, from, to }), DEFAULT_RULES)).toMatchObject({ alert: true, category, remind: false });
  });

  it('lets a critical policy count pass quiet hours, and a listing one wait', () => {
    expect(isCritical(event({ kind: 'policy_count_rose', severity: 'critical', metric: 'receivedIntellectualPropertyComplaints', from: '0', to: '1' }))).toBe(true);
    expect(isCritical(event({ kind: 'policy_count_rose', severity: 'warning', metric: 'listingPolicyViolations', from: '0', to: '1' }))).toBe(false);
  });

  it('switches each new kind off per marketplace', () => {
    const rules = withDefaults({ kindsByMarketplace: { [`s1/${US}`]: { odr_defects_rose: false, suspended_listings: false } } });
    expect(classifyEvent(event({ kind: 'odr_defects_rose', from: '0', to: '1' }), rules)).toEqual({ alert: false, reason: 'kind_off' });
    expect(classifyEvent(event({ kind: 'suspended_listings', metric: null, from: 'false', to: 'true' }), rules)).toEqual({ alert: false, reason: 'kind_off' });
  });
});

describe('classifyEvent', () => {
  it('treats a metric getting worse as a problem and better as a recovery', () => {
    expect(classifyEvent(event({ from: 'ok', to: 'breach' }), DEFAULT_RULES)).toMatchObject({ alert: true, category: 'problem', critical: true, remind: true });
    expect(classifyEvent(event({ from: 'breach', to: 'ok' }), DEFAULT_RULES)).toMatchObject({ alert: true, category: 'recovery', critical: false, remind: false });
    expect(classifyEvent(event({ from: 'breach', to: 'warn' }), DEFAULT_RULES)).toMatchObject({ alert: true, category: 'recovery' });
  });

  it('stays silent about a first reading that is fine or a metric whose data disappeared', () => {
    expect(classifyEvent(event({ from: 'unknown', to: 'ok' }), DEFAULT_RULES)).toEqual({ alert: false, reason: 'no_news' });
    expect(classifyEvent(event({ from: 'warn', to: 'unknown' }), DEFAULT_RULES)).toEqual({ alert: false, reason: 'no_news' });
  });

  it('alerts on a first reading that is already in breach', () => {
    expect(classifyEvent(event({ from: 'unknown', to: 'breach' }), DEFAULT_RULES)).toMatchObject({ alert: true, category: 'problem' });
  });

  it('drops recoveries when recovery messages are off', () => {
    const rules = { ...DEFAULT_RULES, recoveryMessages: false };
    expect(classifyEvent(event({ from: 'warn', to: 'ok' }), rules)).toEqual({ alert: false, reason: 'recovery_off' });
  });

  it('lets a marketplace switch override the store, and the store override the workspace', () => {
    const rules = {
      ...DEFAULT_RULES,
      kinds: { ...DEFAULT_RULES.kinds, headroom_low: false },
      kindsByStore: { s1: { headroom_low: true } },
      kindsByMarketplace: { [`s1/${US}`]: { headroom_low: false } },
    };
    const low = event({ kind: 'headroom_low', from: '3', to: '1' });
    expect(classifyEvent(low, rules)).toEqual({ alert: false, reason: 'kind_off' });
    expect(classifyEvent({ ...low, marketplaceId: 'A1PA6795UKMFR9' }, rules)).toMatchObject({ alert: true });
    expect(classifyEvent({ ...low, storeId: 's2' }, rules)).toEqual({ alert: false, reason: 'kind_off' });
  });

  it('counts account AT_RISK, DEACTIVATED and authorization lost as critical', () => {
    for (const to of ['AT_RISK', 'DEACTIVATED']) {
      expect(classifyEvent(event({ kind: 'account_status_changed', metric: null, from: 'NORMAL', to }), DEFAULT_RULES)).toMatchObject({ critical: true, remind: true });
    }
    expect(classifyEvent(event({ kind: 'auth_lost', metric: null, marketplaceId: null, from: null, to: null, severity: 'critical' }), DEFAULT_RULES)).toMatchObject({ critical: true });
    expect(classifyEvent(event({ kind: 'account_status_changed', metric: null, from: 'AT_RISK', to: 'NORMAL' }), DEFAULT_RULES)).toMatchObject({ category: 'recovery' });
  });
});

describe('decideAlert', () => {
  it('notifies at once on every channel the member can use by default', () => {
    expect(decideAlert(event(), DEFAULT_RULES, member(), NOON_IN_CHINA)).toEqual({ notify: true, channelIds: ['c1', 'c2'], notBefore: NOON_IN_CHINA, critical: false });
  });

  it('holds a warning during quiet hours until they end in the member\'s own time zone', () => {
    const d = decideAlert(event(), DEFAULT_RULES, member({ quietHours: QUIET }), NIGHT_IN_CHINA);
    // 08:00 Shanghai = 00:00 UTC next day
    expect(d).toMatchObject({ notify: true, notBefore: Date.UTC(2026, 2, 11, 0, 0) });
  });

  it('lets a breach through quiet hours', () => {
    const d = decideAlert(event({ to: 'breach', severity: 'critical' }), DEFAULT_RULES, member({ quietHours: QUIET }), NIGHT_IN_CHINA);
    expect(d).toMatchObject({ notify: true, notBefore: NIGHT_IN_CHINA, critical: true });
  });

  it('reads quiet hours in the member\'s zone, not Shanghai\'s', () => {
    // 22:30 Shanghai is 15:30 in Berlin (CET): not quiet there
    const d = decideAlert(event(), DEFAULT_RULES, member({ quietHours: QUIET, timeZone: 'Europe/Berlin' }), NIGHT_IN_CHINA);
    expect(d).toMatchObject({ notBefore: NIGHT_IN_CHINA });
  });

  it('skips stores and channels the member does not follow', () => {
    expect(decideAlert(event(), DEFAULT_RULES, member({ stores: ['s9'] }), NOON_IN_CHINA)).toEqual({ notify: false, reason: 'store_not_followed' });
    expect(decideAlert(event(), DEFAULT_RULES, member({ channels: ['c2', 'c7'] }), NOON_IN_CHINA)).toMatchObject({ channelIds: ['c2'] });
    expect(decideAlert(event(), DEFAULT_RULES, member({ channels: ['c7'] }), NOON_IN_CHINA)).toEqual({ notify: false, reason: 'no_channel' });
  });
});

describe('routeAlert', () => {
  it('gives a shared channel one delivery, due as soon as any follower wants it', () => {
    const sleeping = { ...member({ quietHours: QUIET }, ['team', 'mine-a']), memberId: 'a' };
    const awake = { ...member({}, ['team', 'mine-b']), memberId: 'b' };
    const due = routeAlert(event(), DEFAULT_RULES, [sleeping, awake], NIGHT_IN_CHINA);
    expect(Object.fromEntries(due)).toEqual({
      team: NIGHT_IN_CHINA,
      'mine-a': Date.UTC(2026, 2, 11, 0, 0),
      'mine-b': NIGHT_IN_CHINA,
    });
  });
});

describe('quietUntil', () => {
  it('handles quiet hours that do not wrap midnight and is off outside them', () => {
    const lunch = { start: '12:00', end: '13:30' };
    expect(quietUntil(lunch, 'Asia/Shanghai', NOON_IN_CHINA)).toBe(Date.UTC(2026, 2, 10, 5, 30));
    expect(quietUntil(lunch, 'Asia/Shanghai', NIGHT_IN_CHINA)).toBeNull();
    expect(quietUntil({ start: '08:00', end: '08:00' }, 'Asia/Shanghai', NOON_IN_CHINA)).toBeNull();
  });

  it('falls back to Shanghai for a zone the runtime does not know', () => {
    expect(quietUntil(QUIET, 'Mars/Olympus', NIGHT_IN_CHINA)).toBe(Date.UTC(2026, 2, 11, 0, 0));
  });
});

describe('nextReminderCheck', () => {
  const created = Date.UTC(2026, 0, 1);
  const DAY = 86_400_000;

  it('is the next whole interval since the alert, whether or not one was just due', () => {
    expect(nextReminderCheck(created, DEFAULT_RULES, created + 5_000)).toBe(created + DAY);
    expect(nextReminderCheck(created, DEFAULT_RULES, created + DAY)).toBe(created + 2 * DAY);
    expect(nextReminderCheck(created, { ...DEFAULT_RULES, reminderIntervalHours: 6 }, created + DAY + 1)).toBe(created + DAY + 6 * 3_600_000);
  });

  it('looks again within the hour when reminders are off, in case they are turned on', () => {
    expect(nextReminderCheck(created, { ...DEFAULT_RULES, reminderIntervalHours: 0 }, created + 7 * DAY)).toBe(created + 7 * DAY + 3_600_000);
  });
});

describe('reminderDue', () => {
  const created = NOON_IN_CHINA;
  const open = { createdAt: created, remind: true, acknowledgedAt: null, resolvedAt: null, lastRemindedAt: null };
  const DAY = 86_400_000;

  it('reminds about an unacknowledged breach once a day', () => {
    expect(reminderDue(open, DEFAULT_RULES, created + DAY - 1)).toBeNull();
    expect(reminderDue(open, DEFAULT_RULES, created + DAY)).toBe(1);
    expect(reminderDue({ ...open, lastRemindedAt: created + DAY }, DEFAULT_RULES, created + DAY + 5)).toBeNull();
    expect(reminderDue({ ...open, lastRemindedAt: created + DAY }, DEFAULT_RULES, created + 2 * DAY)).toBe(2);
  });

  it('stops once acknowledged or resolved, or when reminders are off', () => {
    expect(reminderDue({ ...open, acknowledgedAt: created + 1 }, DEFAULT_RULES, created + 3 * DAY)).toBeNull();
    expect(reminderDue({ ...open, resolvedAt: created + 1 }, DEFAULT_RULES, created + 3 * DAY)).toBeNull();
    expect(reminderDue(open, { ...DEFAULT_RULES, reminderIntervalHours: 0 }, created + 3 * DAY)).toBeNull();
  });
});
