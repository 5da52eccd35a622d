/**
 * Getting a translator in each surface. When the language in use is the one Chrome picked for
 * the browser, `chrome.i18n` answers synchronously with nothing to load; the other language's
 * catalog is read from the extension's own `_locales` (pages fetch it, content scripts ask the
 * background, since `_locales` is not web-accessible).
 */
import { type Language, type LanguageSetting, type Translate, createTranslator, localeDir, resolveLanguage } from '../i18n/i18n.ts';

export type CatalogPath = '/_locales/en/messages.json' | '/_locales/zh_CN/messages.json';

export interface I18nApi {
  getMessage(key: string): string;
}

/** The language of the catalog Chrome chose (each catalog says which it is). */
export function builtInLanguage(i18n: I18nApi): Language {
  return resolveLanguage('auto', i18n.getMessage('localeCode'));
}

export async function loadTranslator(i18n: I18nApi, setting: LanguageSetting, loadCatalog: (language: Language) => Promise<Record<string, string>>): Promise<Translate> {
  const builtIn = builtInLanguage(i18n);
  const language = resolveLanguage(setting, builtIn);
  if (language === builtIn) return createTranslator(language, (key) => i18n.getMessage(key) || undefined);
  try {
    const catalog = await loadCatalog(language);
    return createTranslator(language, (key) => catalog[key]);
  } catch {
    // Words in the browser's language beat no words at all.
    return createTranslator(builtIn, (key) => i18n.getMessage(key) || undefined);
  }
}

/** Reads `_locales/<dir>/messages.json` of this extension (pages and the background). */
export async function fetchCatalog(fetcher: typeof fetch, getURL: (path: CatalogPath) => string, language: Language): Promise<Record<string, string>> {
  const response = await fetcher(getURL(`/_locales/${localeDir(language)}/messages.json` as const));
  const json = (await response.json()) as Record<string, { message?: unknown }>;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(json)) if (typeof value?.message === 'string') out[key] = value.message;
  return out;
}
