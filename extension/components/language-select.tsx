import type { LanguageSetting } from '../lib/i18n/i18n.ts';
import { useT } from './i18n-context.tsx';

/** Browser default, Chinese or English - the choice is this browser's (storage.local), not the relay's. */
export function LanguageSelect({ value, onChange, id = 'sw-language' }: { value: LanguageSetting; onChange: (value: LanguageSetting) => void; id?: string }) {
  const t = useT();
  return (
    <label class="sw-inline-label" for={id}>
      {t('languageLabel')}
      <select id={id} value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as LanguageSetting)}>
        <option value="auto">{t('languageAuto')}</option>
        <option value="zh-CN">{t('languageZh')}</option>
        <option value="en">{t('languageEn')}</option>
      </select>
    </label>
  );
}
