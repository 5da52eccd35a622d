import en from '../../../extension/public/_locales/en/messages.json';
import zh from '../../../extension/public/_locales/zh_CN/messages.json';
import { type Translate, createTranslator, jsonLookup } from '../../../extension/lib/i18n/i18n.ts';

export const EN: Translate = createTranslator('en', jsonLookup(en));
export const ZH: Translate = createTranslator('zh-CN', jsonLookup(zh));
export const CATALOGS = { en, zh };
