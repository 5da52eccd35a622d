import { useEffect, useMemo, useState } from 'preact/hooks';
import { type AlertRules, EVENT_KINDS } from '../../../shared/alerts/rules.ts';
import type { HealthEventKind } from '../../../shared/types.ts';
import { useT } from '../../components/i18n-context.tsx';
import type { MessageKey } from '../../lib/i18n/i18n.ts';
import { createResource } from '../../lib/models/resource.ts';
import { relayFailureText } from '../../lib/i18n/failure-text.ts';
import type { RelayClient } from '../../lib/relay/relay-client.ts';
import { Field, Loaded, Section, inputValue } from './fields.tsx';

const KIND_KEYS: Record<HealthEventKind, MessageKey> = {
  level_changed: 'kindLevelChanged',
  headroom_low: 'kindHeadroomLow',
  policy_count_rose: 'kindPolicyCountRose',
  account_status_changed: 'kindAccountStatusChanged',
  ahr_status_changed: 'kindAhrStatusChanged',
  ahr_score_changed: 'kindAhrScoreChanged',
  warning_state_changed: 'kindWarningStateChanged',
  odr_defects_rose: 'kindOdrDefectsRose',
  suspended_listings: 'kindSuspendedListings',
  auth_lost: 'kindAuthLost',
  reauth_due: 'kindReauthDue',
  data_stale: 'kindDataStale',
  polling_failing: 'kindPollingFailing',
};

const number = (e: Event) => Number(inputValue(e));

function RulesForm({ version, rules, relay, canEdit, onSaved }: { version: number; rules: AlertRules; relay: RelayClient; canEdit: boolean; onSaved: () => void }) {
  const t = useT();
  const all = rules.thresholds.workspace?.all ?? {};
  const [kinds, setKinds] = useState(rules.kinds);
  const [warnMargin, setWarnMargin] = useState(Math.round((all.warnMargin ?? 0.75) * 100));
  const [headroomWarn, setHeadroomWarn] = useState(all.headroomWarn ?? 1);
  const [reminder, setReminder] = useState(rules.reminderIntervalHours);
  const [recovery, setRecovery] = useState(rules.recoveryMessages);
  const [stale, setStale] = useState(rules.staleAfterHours);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <form
      class="sw-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const thresholds = { ...rules.thresholds, workspace: { ...rules.thresholds.workspace, all: { warnMargin: warnMargin / 100, headroomWarn } } };
        const r = await relay.putRules({
          version,
          rules: { ...rules, kinds, thresholds, reminderIntervalHours: reminder, recoveryMessages: recovery, staleAfterHours: stale },
        });
        if (r.ok) setStatus({ ok: true, text: t('optSaved') });
        else if (r.failure.kind === 'http' && r.failure.code === 'version_conflict') setStatus({ ok: false, text: t('optVersionConflict') });
        else setStatus({ ok: false, text: relayFailureText(r.failure, t) });
        onSaved();
      }}
    >
      <fieldset disabled={!canEdit}>
        <legend>{t('optAlertKinds')}</legend>
        {EVENT_KINDS.map((k) => (
          <label class="sw-check" key={k}>
            <input type="checkbox" checked={kinds[k]} onChange={(e) => setKinds({ ...kinds, [k]: (e.currentTarget as HTMLInputElement).checked })} /> {t(KIND_KEYS[k])}
          </label>
        ))}
      </fieldset>
      <fieldset disabled={!canEdit}>
        <Field id="warn-margin" label={t('optWarnMargin')}>
          <input id="warn-margin" type="number" min={0} max={100} value={warnMargin} onInput={(e) => setWarnMargin(number(e))} />
        </Field>
        <Field id="headroom-warn" label={t('optHeadroomWarn')}>
          <input id="headroom-warn" type="number" min={0} max={10000} value={headroomWarn} onInput={(e) => setHeadroomWarn(number(e))} />
        </Field>
        <Field id="reminder-hours" label={t('optReminderHours')}>
          <input id="reminder-hours" type="number" min={0} max={720} value={reminder} onInput={(e) => setReminder(number(e))} />
        </Field>
        <Field id="stale-hours" label={t('optStaleHours')}>
          <input id="stale-hours" type="number" min={1} max={720} value={stale} onInput={(e) => setStale(number(e))} />
        </Field>
        <label class="sw-check">
          <input type="checkbox" checked={recovery} onChange={(e) => setRecovery((e.currentTarget as HTMLInputElement).checked)} /> {t('optRecovery')}
        </label>
        <button type="submit" class="sw-btn sw-btn-primary">
          {t('optSave')}
        </button>
      </fieldset>
      {status && (
        <p class={status.ok ? 'sw-ok-text' : 'sw-problem'} role="status">
          {status.text}
        </p>
      )}
    </form>
  );
}

/** Workspace rules (`/v1/rules`): everyone sees them, owners change them. */
export function RulesSection({ relay, isOwner }: { relay: RelayClient; isOwner: boolean }) {
  const t = useT();
  const rules = useMemo(() => createResource(() => relay.rules()), [relay]);
  useEffect(() => void rules.reload(), [rules]);
  return (
    <Section id="rules" title={t('optRulesSection')}>
      {!isOwner && <p class="sw-muted">{t('optRulesOwnersOnly')}</p>}
      <Loaded state={rules.state.value}>
        {(value) => <RulesForm key={value.version} version={value.version} rules={value.rules} relay={relay} canEdit={isOwner} onSaved={() => void rules.reload()} />}
      </Loaded>
    </Section>
  );
}
