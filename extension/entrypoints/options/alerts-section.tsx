import { useEffect, useMemo, useState } from 'preact/hooks';
import type { MemberPrefs } from '../../../shared/alerts/rules.ts';
import { useT } from '../../components/i18n-context.tsx';
import { createResource } from '../../lib/models/resource.ts';
import { relayFailureText } from '../../lib/i18n/failure-text.ts';
import type { RelayClient } from '../../lib/relay/relay-client.ts';
import { Field, Loaded, Section, inputValue } from './fields.tsx';

/** This browser's zone, offered first: most people set quiet hours where they sit. */
function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function PrefsForm({ prefs, relay, onSaved }: { prefs: MemberPrefs; relay: RelayClient; onSaved: () => void }) {
  const t = useT();
  const [quiet, setQuiet] = useState(prefs.quietHours !== null);
  const [from, setFrom] = useState(prefs.quietHours?.start ?? '22:00');
  const [to, setTo] = useState(prefs.quietHours?.end ?? '08:00');
  const [zone, setZone] = useState(prefs.timeZone);
  const [language, setLanguage] = useState(prefs.language);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <form
      class="sw-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await relay.putPrefs({ quietHours: quiet ? { start: from, end: to } : null, timeZone: zone, language });
        setStatus(r.ok ? { ok: true, text: t('optSaved') } : { ok: false, text: relayFailureText(r.failure, t) });
        if (r.ok) onSaved();
      }}
    >
      <label class="sw-check">
        <input type="checkbox" checked={quiet} onChange={(e) => setQuiet((e.currentTarget as HTMLInputElement).checked)} /> {t('optQuietOn')}
      </label>
      <div class="sw-row">
        <Field id="quiet-from" label={t('optQuietFrom')}>
          <input id="quiet-from" type="time" value={from} disabled={!quiet} onInput={(e) => setFrom(inputValue(e))} />
        </Field>
        <Field id="quiet-to" label={t('optQuietTo')}>
          <input id="quiet-to" type="time" value={to} disabled={!quiet} onInput={(e) => setTo(inputValue(e))} />
        </Field>
      </div>
      <Field id="time-zone" label={t('optTimeZone')}>
        <input id="time-zone" list="time-zones" value={zone} onInput={(e) => setZone(inputValue(e))} />
        <datalist id="time-zones">
          {[...new Set([localZone(), 'Asia/Shanghai', 'Asia/Hong_Kong', 'America/Los_Angeles', 'Europe/Berlin', 'Asia/Tokyo'])].map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </Field>
      <Field id="message-language" label={t('optMessageLanguage')}>
        <select id="message-language" value={language} onChange={(e) => setLanguage(inputValue(e) === 'en' ? 'en' : 'zh-CN')}>
          <option value="zh-CN">{t('languageZh')}</option>
          <option value="en">{t('languageEn')}</option>
        </select>
      </Field>
      <button type="submit" class="sw-btn sw-btn-primary">
        {t('optSave')}
      </button>
      {status && (
        <p class={status.ok ? 'sw-ok-text' : 'sw-problem'} role="status">
          {status.text}
        </p>
      )}
    </form>
  );
}

/** The person's own alert settings (`/v1/prefs`): quiet hours, time zone, message language. */
export function AlertsSection({ relay }: { relay: RelayClient }) {
  const t = useT();
  const prefs = useMemo(() => createResource(() => relay.prefs()), [relay]);
  useEffect(() => void prefs.reload(), [prefs]);
  return (
    <Section id="prefs" title={t('optPrefsSection')}>
      <Loaded state={prefs.state.value}>{(value) => <PrefsForm prefs={value} relay={relay} onSaved={() => void prefs.reload()} />}</Loaded>
    </Section>
  );
}
