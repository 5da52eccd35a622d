import { describe, expect, it } from 'vitest';
import en from '../../extension/public/_locales/en/messages.json';
import zh from '../../extension/public/_locales/zh_CN/messages.json';

type Catalog = Record<string, { message: string }>;

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

describe('locale catalogs', () => {
  it('have exactly the same keys in zh_CN and en', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same {placeholders} for a key in both languages', () => {
    const zhCatalog: Catalog = zh;
    for (const [key, value] of Object.entries(en as Catalog)) {
      expect(placeholders(zhCatalog[key]?.message ?? ''), key).toEqual(placeholders(value.message));
    }
  });

  it('leave no message empty', () => {
    for (const catalog of [en, zh] as Catalog[]) {
      for (const [key, value] of Object.entries(catalog)) expect(value.message.trim(), key).not.toBe('');
    }
  });

  it('name the pairing form as the English docs do', () => {
    const messages = Object.values(en as Catalog).map((m) => m.message);
    for (const label of ['Relay URL', 'Pairing code', 'Connect']) expect(messages).toContain(label);
  });
});
