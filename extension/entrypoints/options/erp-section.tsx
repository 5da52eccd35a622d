import { useState } from 'preact/hooks';
import { useT } from '../../components/i18n-context.tsx';
import { DEFAULT_ERP_DOMAINS, patternHost } from '../../lib/detect/erp-hosts.ts';
import type { OptionsModel } from '../../lib/models/options-model.ts';
import { Field, ProblemText, Section, inputValue } from './fields.tsx';

/** ERP hosts beyond the built-in ones, each asked for as a host permission when added. */
export function ErpSection({ model }: { model: OptionsModel }) {
  const t = useT();
  const [host, setHost] = useState('');
  return (
    <Section id="erp" title={t('optErpSection')}>
      <p class="sw-muted">{t('optErpBuiltIn', { hosts: DEFAULT_ERP_DOMAINS.join(', ') })}</p>
      <ul class="sw-list">
        {model.settings.value.erpHosts.map((pattern) => (
          <li key={pattern} class="sw-list-row">
            <span class="sw-grow">{patternHost(pattern)}</span>
            <button type="button" class="sw-btn" onClick={() => void model.removeErpHost(pattern)}>
              {t('optRemove')}
            </button>
          </li>
        ))}
      </ul>
      <form
        class="sw-form sw-row"
        onSubmit={(e) => {
          e.preventDefault();
          // No await before this call: the permission prompt needs the click's user gesture.
          void model.addErpHost(host).then((ok) => ok && setHost(''));
        }}
      >
        <Field id="erp-host" label={t('optErpHost')}>
          <input id="erp-host" value={host} placeholder="erp.example.com" onInput={(e) => setHost(inputValue(e))} required />
        </Field>
        <button type="submit" class="sw-btn">
          {t('optErpAdd')}
        </button>
      </form>
      <ProblemText problem={model.erpProblem.value} />
    </Section>
  );
}
