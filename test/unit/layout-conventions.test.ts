import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(root, dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(relative(root, path)));
    else if (/\.(ts|tsx)$/.test(name)) out.push(relative(root, path));
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

/** The top-level folder a relative import lands in ('shared', 'relay', ...), or null for packages. */
function topFolderOf(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return relative(root, resolve(root, dirname(file), spec)).split('/')[0] ?? null;
}

/** Things pure code must not touch: the clock, randomness, the network, the host platform. */
const IMPURE = [
  /\bDate\.now\(/,
  /\bnew Date\(\s*\)/,
  /\bMath\.random\(/,
  /\bfetch\(/,
  /\bcrypto\./,
  /\bprocess\./,
  /\bglobalThis\b/,
  /\bwindow\./,
  /\bdocument\./,
  /\bchrome\./,
  /\bbrowser\./,
  /\blocalStorage\b/,
  /\bindexedDB\b/,
  /\bsetTimeout\(/,
  /\bsetInterval\(/,
  /\bconsole\./,
];

describe('repository layout', () => {
  it('keeps shared/ free of imports from relay/, extension/, test/ and packages with I/O', () => {
    for (const file of sourceFiles('shared')) {
      for (const spec of importsOf(file)) {
        expect(topFolderOf(file, spec) ?? 'shared', `${file} imports ${spec}`).toBe('shared');
        expect(spec, `${file} imports ${spec}`).not.toMatch(/^(node:|cloudflare:|hono|wxt|idb|preact|amazon-sp-api)/);
      }
    }
  });

  it('keeps shared/ pure: no clock, randomness, network or platform globals', () => {
    for (const file of sourceFiles('shared')) {
      const code = readFileSync(join(root, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1');
      for (const pattern of IMPURE) expect(code, `${file} uses ${pattern}`).not.toMatch(pattern);
    }
  });

  it('never lets relay/ and extension/ import each other', () => {
    for (const file of sourceFiles('relay')) {
      for (const spec of importsOf(file)) expect(topFolderOf(file, spec), `${file} imports ${spec}`).not.toBe('extension');
    }
    for (const file of sourceFiles('extension')) {
      for (const spec of importsOf(file)) expect(topFolderOf(file, spec), `${file} imports ${spec}`).not.toBe('relay');
    }
  });

  it('tells a folder named relay inside extension/ from the relay itself', () => {
    expect(topFolderOf('extension/lib/relay/cache.ts', './relay-client.ts')).toBe('extension');
    expect(topFolderOf('extension/lib/x.ts', '../../relay/app.ts')).toBe('relay');
    expect(topFolderOf('shared/api/index.ts', '../types.ts')).toBe('shared');
    expect(topFolderOf('shared/x.ts', 'hono')).toBeNull();
  });

  it('names source files in kebab-case', () => {
    for (const dir of ['shared', 'relay', 'extension']) {
      for (const file of sourceFiles(dir)) {
        const base = file.split('/').pop()!.replace(/\.(test\.)?(d\.)?tsx?$/, '');
        expect(base, file).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      }
    }
  });

  it('says the two commands first in the README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf('npm start');
    const test = readme.indexOf('npm test');
    expect(start).toBeGreaterThan(-1);
    expect(test).toBeGreaterThan(-1);
    expect(Math.max(start, test)).toBeLessThan(readme.indexOf('\n## ', readme.indexOf('\n## ') + 1));
  });
});
