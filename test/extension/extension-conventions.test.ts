/**
 * The extension's own rules, checked on its source (in the spirit of refined-github's
 * build/features.test.ts): untrusted text is never parsed as HTML, and the code that runs inside
 * web pages cannot reach the relay token or the relay itself.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../extension');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Every extension file a module reaches through relative imports, itself included. */
function reach(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  for (const m of text.matchAll(/^import\s+(?!type\b)[^'"]*['"](\.[^'"]+)['"]/gm)) {
    const target = resolve(entry, '..', m[1]!.replace(/\?inline$/, ''));
    if (target.startsWith(root) && /\.(ts|tsx)$/.test(target)) reach(target, seen);
  }
  return seen;
}

describe('extension conventions', () => {
  it('never parses text as HTML: no innerHTML, outerHTML, insertAdjacentHTML or dangerouslySetInnerHTML', () => {
    for (const file of sources(root)) {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, relative(root, file)).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML/);
    }
  });

  it('gives the functions the background injects into pages nothing to import but types', () => {
    // Chrome serializes an injected function alone; helpers/fake-tabs.ts runs them the same way.
    for (const file of ['lib/panel/page-badge.ts', 'lib/detect/page-evidence.ts']) {
      const imports = readFileSync(join(root, file), 'utf8').match(/^import .*$/gm) ?? [];
      for (const line of imports) expect(line, file).toMatch(/^import type /);
    }
  });

  it('keeps the relay client, the token and IndexedDB out of everything that runs in web pages', () => {
    const inPages = ['entrypoints/panel.tsx'];
    for (const entry of inPages) {
      const files = [...reach(join(root, entry))].map((f) => relative(root, f));
      expect(files.length, entry).toBeGreaterThan(3);
      for (const file of files) {
        expect(file, `${entry} reaches ${file}`).not.toMatch(/relay-client|cache-db|entrypoints\/background/);
        const code = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        // The token is the background's and the options page's: page code may not even name its home.
        expect(code, `${file} (reached from ${entry})`).not.toMatch(/credentials\.ts|token-vault|relayToken|from 'idb'/);
      }
    }
  });
});
