import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_STATUS_KEYS, AMAZON_STATUS_KEYS, LEVEL_KEYS, REGION_KEYS } from '../../extension/components/labels.ts';
import { JOB_LABELS, ownJobError } from '../../extension/lib/derive/job-progress.ts';
import { fill, resolveLanguage } from '../../extension/lib/i18n/i18n.ts';
import { CATALOGS, EN, ZH } from './helpers/i18n.ts';

const root = join(__dirname, '../../extension');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Keys passed to t('...') literally, and keys named in `key: 'someKey'` tables and unions. */
function keysUsedInCode(): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of sources(root)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([A-Za-z0-9_]+)'/g)) used.set(m[1]!, relative(root, file));
  }
  const tables = [LEVEL_KEYS, ACCOUNT_STATUS_KEYS, AMAZON_STATUS_KEYS, REGION_KEYS, JOB_LABELS];
  for (const table of tables) for (const key of Object.values(table)) used.set(key, 'a key table');
  for (const code of ['relay_unreachable', 'timeout']) used.set(ownJobError(code) ?? code, 'job errors');
  return used;
}

describe('the locale catalogs', () => {
  it('contain every key the code asks for, in both languages', () => {
    const used = keysUsedInCode();
    expect(used.size).toBeGreaterThan(50);
    for (const [key, where] of used) {
      expect(CATALOGS.en, `${key} (used in ${where}) missing in en`).toHaveProperty(key);
      expect(CATALOGS.zh, `${key} (used in ${where}) missing in zh_CN`).toHaveProperty(key);
    }
  });

  it('never contain a bare $, which Chrome would read as a substitution', () => {
    for (const catalog of [CATALOGS.en, CATALOGS.zh]) {
      for (const [key, value] of Object.entries(catalog as Record<string, { message: string }>)) expect(value.message, key).not.toMatch(/\$/);
    }
  });

  it('name their own language so "browser default" can follow the catalog Chrome picked', () => {
    expect(CATALOGS.en.localeCode.message).toBe('en');
    expect(CATALOGS.zh.localeCode.message).toBe('zh-CN');
  });
});

describe('translation', () => {
  it('fills {placeholders} and leaves unknown ones visible', () => {
    expect(fill('{count} of {total}', { count: 2, total: 5 })).toBe('2 of 5');
    expect(fill('{count} of {total}', { count: 2 })).toBe('2 of {total}');
  });

  it('reads the exact English labels the options form promises', () => {
    expect([EN('optRelayUrl'), EN('optPairingCode'), EN('optConnect')]).toEqual(['Relay URL', 'Pairing code', 'Connect']);
    expect(ZH('optConnect')).toBe('连接');
  });

  it('follows the browser unless the person chose a language', () => {
    expect(resolveLanguage('auto', 'en')).toBe('en');
    expect(resolveLanguage('auto', 'zh-CN')).toBe('zh-CN');
    expect(resolveLanguage(undefined, 'de')).toBe('zh-CN');
    expect(resolveLanguage('en', 'zh-CN')).toBe('en');
  });
});
