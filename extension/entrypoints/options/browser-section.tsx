import { useT } from '../../components/i18n-context.tsx';
import { LanguageSelect } from '../../components/language-select.tsx';
import type { LanguageSetting } from '../../lib/i18n/i18n.ts';
import type { OptionsModel } from '../../lib/models/options-model.ts';
import type { RelayClient } from '../../lib/relay/relay-client.ts';
import { Section } from './fields.tsx';
import { ProfileStoreField } from './profile-section.tsx';

/** Settings of this browser only: the extension's language, desktop notifications and, once paired, the store it is for. */
export function BrowserSection({
  model,
  language,
  onLanguage,
  relay = null,
}: {
  model: OptionsModel;
  language: LanguageSetting;
  onLanguage: (v: LanguageSetting) => void;
  relay?: RelayClient | null;
}) {
  const t = useT();
  return (
    <Section id="browser" title={t('optBrowserSection')}>
      <LanguageSelect id="extension-language" value={language} onChange={onLanguage} />
      <label class="sw-check">
        <input type="checkbox" checked={model.settings.value.notifications} onChange={(e) => void model.setNotifications((e.currentTarget as HTMLInputElement).checked)} />{' '}
        {t('optNotifications')}
      </label>
      {relay && <ProfileStoreField model={model} relay={relay} />}
    </Section>
  );
}
