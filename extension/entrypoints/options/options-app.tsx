import { useT } from '../../components/i18n-context.tsx';
import type { LanguageSetting } from '../../lib/i18n/i18n.ts';
import type { OptionsModel } from '../../lib/models/options-model.ts';
import { AlertsSection } from './alerts-section.tsx';
import { BrowserSection } from './browser-section.tsx';
import { ChannelsSection } from './channels-section.tsx';
import { ErpSection } from './erp-section.tsx';
import { MembersSection } from './members-section.tsx';
import { RelaySection } from './relay-section.tsx';
import { RulesSection } from './rules-section.tsx';
import { StoresSection } from './stores-section.tsx';

export interface OptionsAppProps {
  model: OptionsModel;
  language: LanguageSetting;
  onLanguage: (value: LanguageSetting) => void;
  openTab: (url: string) => void;
  onStoresChanged: () => void;
}

/** Options: pairing first; the relay's sections once paired; this browser's settings always. */
export function OptionsApp({ model, language, onLanguage, openTab, onStoresChanged }: OptionsAppProps) {
  const t = useT();
  const relay = model.client.value;
  const pairing = model.pairing.value;
  return (
    <div class="sw-options">
      <h1>{t('optionsTitle')}</h1>
      {model.keysProblem.value && (
        <p class="sw-banner sw-banner-error" role="alert">
          {t(model.keysProblem.value === 'mismatch' ? 'optKeysMismatch' : 'optKeysMissing')}
        </p>
      )}
      <RelaySection model={model} />
      {relay ? (
        <>
          <StoresSection relay={relay} isOwner={model.isOwner.value} openTab={openTab} onStoresChanged={onStoresChanged} />
          <ChannelsSection relay={relay} isOwner={model.isOwner.value} />
          <AlertsSection relay={relay} />
          <RulesSection relay={relay} isOwner={model.isOwner.value} />
          {pairing && <MembersSection relay={relay} pairing={pairing} />}
        </>
      ) : (
        model.loaded.value && <p class="sw-muted">{t('optNeedPairing')}</p>
      )}
      <ErpSection model={model} />
      <BrowserSection model={model} language={language} onLanguage={onLanguage} relay={relay} />
    </div>
  );
}
