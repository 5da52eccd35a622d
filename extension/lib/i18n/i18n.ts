/**
 * Words on screen. Both languages live in the extension's own `_locales` (so the store listing and
 * `chrome.i18n` see them too); this module adds what `chrome.i18n` lacks: a language the person
 * picks in options instead of the browser's, and `{name}` placeholders that read the same in both
 * lookups (Chrome's `$1` substitutions do not exist in a plain JSON lookup).
 */
import type messages from '../../public/_locales/en/messages.json';
import type { Language } from '../../../shared/alerts/rules.ts';

export type { Language };

/** Every key of the English catalog (the unit test keeps zh_CN's key set identical). */
export type MessageKey = keyof typeof messages;

export type LanguageSetting = 'auto' | Language;

export type Vars = Readonly<Record<string, string | number>>;

export interface Translate {
  (key: MessageKey, vars?: Vars): string;
  readonly language: Language;
}

/** The `messages.json` shape. */
export type MessagesJson = Readonly<Record<string, { message: string }>>;

/** `_locales` folder of a language. */
export function localeDir(language: Language): 'zh_CN' | 'en' {
  return language === 'en' ? 'en' : 'zh_CN';
}

/**
 * `auto` follows the catalog Chrome itself picked for this browser (each catalog names its own
 * language in `localeCode`), which falls back to zh_CN - the product's default - for languages we
 * do not ship.
 */
export function resolveLanguage(setting: LanguageSetting | undefined, builtIn: string): Language {
  if (setting === 'zh-CN' || setting === 'en') return setting;
  return builtIn === 'en' ? 'en' : 'zh-CN';
}

export function fill(text: string, vars: Vars | undefined): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}

/** A translator over any lookup; a missing key shows itself rather than an empty label. */
export function createTranslator(language: Language, lookup: (key: string) => string | undefined): Translate {
  const t = (key: MessageKey, vars?: Vars) => fill(lookup(key) || key, vars);
  return Object.assign(t, { language });
}

export function jsonLookup(json: MessagesJson): (key: string) => string | undefined {
  return (key) => json[key]?.message;
}

/** Locale tag for Intl. */
export function intlLocale(language: Language): string {
  return language === 'en' ? 'en' : 'zh-CN';
}
