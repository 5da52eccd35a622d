/**
 * The translator as a signal that follows the language setting: switching language in the popup
 * or options re-renders every open surface, content-script panels included.
 */
import { type Signal, signal } from '@preact/signals';
import type { Browser } from 'wxt/browser';
import type { Language, LanguageSetting, Translate } from '../i18n/i18n.ts';
import { KEYS, type StorageArea, readSettings, updateSettings } from './settings.ts';
import { type I18nApi, loadTranslator } from './translator.ts';

export interface LiveTranslator {
  t: Signal<Translate>;
  setting: Signal<LanguageSetting>;
  choose(setting: LanguageSetting): Promise<void>;
}

export async function liveTranslator(
  i18n: I18nApi,
  local: StorageArea,
  changes: Pick<typeof Browser.storage.onChanged, 'addListener'>,
  loadCatalog: (language: Language) => Promise<Record<string, string>>,
): Promise<LiveTranslator> {
  const initial = (await readSettings(local)).language;
  const setting = signal<LanguageSetting>(initial);
  const t = signal(await loadTranslator(i18n, initial, loadCatalog));
  changes.addListener((c, area) => {
    if (area !== 'local' || !(KEYS.settings in c)) return;
    void readSettings(local).then(async (s) => {
      if (s.language === setting.value) return;
      setting.value = s.language;
      t.value = await loadTranslator(i18n, s.language, loadCatalog);
    });
  });
  return {
    t,
    setting,
    async choose(next) {
      await updateSettings(local, { language: next });
    },
  };
}
