import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const PRODUCT = ['extension', 'relay', 'shared'];

function productSources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(ts|tsx)$/.test(name))
    .map((name) => join(dir, name));
}

/** The package names the product imports: `preact/hooks` is `preact`, `@preact/signals` stays whole. */
function importedPackages(): Set<string> {
  const names = new Set<string>();
  for (const file of PRODUCT.flatMap(productSources)) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"./][^'"]*)['"]/g)) {
      const parts = match[1]!.split('/');
      names.add(parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
    }
  }
  return names;
}

describe('dependencies', () => {
  it('lists in `dependencies` only packages the extension, the relay or shared code import', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const imported = importedPackages();
    const unused = Object.keys(manifest.dependencies).filter((name) => !imported.has(name));
    expect(unused).toEqual([]);
  });
});
