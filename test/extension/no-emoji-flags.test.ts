/**
 * Marketplaces are drawn as their country code ("US"), never as an emoji flag: without a
 * colour-emoji font (most Linux desktops) a flag is two boxes, and Windows draws it as two letters
 * anyway. A flag is a pair of Unicode regional indicator symbols (U+1F1E6..U+1F1FF).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REGIONAL_INDICATOR = /[\u{1F1E6}-\u{1F1FF}]/u;
const root = resolve(__dirname, '../..');

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, pattern) : pattern.test(name) ? [path] : [];
  });
}

describe('no emoji flags in the extension', () => {
  it('has no regional indicator symbol in its source, styles, pages or message catalogs', () => {
    const all = files(join(root, 'extension'), /\.(ts|tsx|css|html|json)$/);
    expect(all.length).toBeGreaterThan(50);
    for (const file of all) expect(readFileSync(file, 'utf8'), relative(root, file)).not.toMatch(REGIONAL_INDICATOR);
  });

  it('never reads the marketplace table\'s flag field (the WeChat messages keep theirs)', () => {
    for (const file of files(join(root, 'extension'), /\.(ts|tsx)$/)) {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, relative(root, file)).not.toMatch(/\.flag\b|facts\??\.marketplace\b(?!Plain)/);
    }
  });
});
