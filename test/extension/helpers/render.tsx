/** Mounting a surface in happy-dom with a real catalog, and waiting for Preact and promises. */
import type { ComponentChildren } from 'preact';
import { render } from 'preact';
import { I18nContext } from '../../../extension/components/i18n-context.tsx';
import { type Translate, createTranslator, jsonLookup } from '../../../extension/lib/i18n/i18n.ts';
import en from '../../../extension/public/_locales/en/messages.json';
import zh from '../../../extension/public/_locales/zh_CN/messages.json';

export function translator(language: 'en' | 'zh-CN'): Translate {
  return createTranslator(language, jsonLookup(language === 'en' ? en : zh));
}

export function mount(children: ComponentChildren, language: 'en' | 'zh-CN' = 'en'): { root: HTMLElement; unmount(): void } {
  const root = document.createElement('div');
  document.body.append(root);
  render(<I18nContext.Provider value={translator(language)}>{children}</I18nContext.Provider>, root);
  return {
    root,
    unmount() {
      render(null, root);
      root.remove();
    },
  };
}

/** Lets pending promises and Preact's debounced re-render run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

export function texts(root: ParentNode, selector: string): string[] {
  return [...root.querySelectorAll(selector)].map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());
}

export function buttonNamed(root: ParentNode, name: string): HTMLButtonElement {
  const button = [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name || b.getAttribute('aria-label') === name);
  if (!button) throw new Error(`no button "${name}" in: ${root.textContent}`);
  return button;
}
