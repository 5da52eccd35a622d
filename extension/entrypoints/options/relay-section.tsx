import { useState } from 'preact/hooks';
import type { OptionsModel } from '../../lib/models/options-model.ts';
import { useT } from '../../components/i18n-context.tsx';
import { failureText } from '../../lib/i18n/failure-text.ts';
import { Field, ProblemText, Section, inputValue } from './fields.tsx';

/** Relay URL + pairing code -> Connect; once paired, who we are and Disconnect. */
export function RelaySection({ model }: { model: OptionsModel }) {
  const t = useT();
  const [url, setUrl] = useState(model.presetRelayUrl ?? '');
  const [code, setCode] = useState('');
  const pairing = model.pairing.value;
  const refused = model.enrolment.value;
  return (
    <Section id="relay" title={t('optRelaySection')}>
      {pairing ? (
        <div class="sw-row">
          <p class="sw-connected" role="status">
            {t('optConnectedAs', {
              workspace: pairing.workspaceName ?? pairing.workspaceId,
              name: pairing.memberName ?? pairing.memberId,
              role: pairing.role === 'owner' ? t('roleOwner') : t('roleMember'),
            })}{' '}
            <code>{pairing.relayUrl}</code>
          </p>
          <button type="button" class="sw-btn" onClick={() => void model.disconnect()}>
            {t('optDisconnect')}
          </button>
        </div>
      ) : (
        <form
          class="sw-form"
          onSubmit={(e) => {
            e.preventDefault();
            void model.connect(url, code).then((ok) => ok && setCode(''));
          }}
        >
          <Field id="relay-url" label={t('optRelayUrl')} hint={t('optRelayHint')}>
            <input id="relay-url" type="url" inputMode="url" autoComplete="url" placeholder="https://" value={url} onInput={(e) => setUrl(inputValue(e))} required />
          </Field>
          <Field id="pairing-code" label={t('optPairingCode')}>
            <input id="pairing-code" autoComplete="one-time-code" spellcheck={false} value={code} onInput={(e) => setCode(inputValue(e))} required />
          </Field>
          <button type="submit" class="sw-btn sw-btn-primary" disabled={model.connecting.value}>
            {model.connecting.value ? t('optConnecting') : t('optConnect')}
          </button>
          <ProblemText problem={model.pairProblem.value} />
          {refused && (
            <p class="sw-problem" role="alert">
              {t('optEnrolRefused', { reason: failureText(refused.reason, t) })}
            </p>
          )}
        </form>
      )}
    </Section>
  );
}
