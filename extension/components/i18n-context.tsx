/** The translator of the surface, for every component below it. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { type Translate, createTranslator } from '../lib/i18n/i18n.ts';

export const I18nContext = createContext<Translate>(createTranslator('zh-CN', () => undefined));

export function useT(): Translate {
  return useContext(I18nContext);
}
