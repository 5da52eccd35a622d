import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every reference points inside the repo (issue 16): no citation of the team notes that lived
 * beside the project, no path into a `shared/` folder other than the repo's own, and every relative
 * link in the docs lands on a file that exists (and, where it names one, on a heading that exists).
 */

const root = resolve(new URL('../..', import.meta.url).pathname);

const SKIPPED_DIRS = new Set(['node_modules', '.output', '.wxt', 'test-results', '.git']);

/** Tracked files per git; a recursive read minus build output where there is no git. */
function trackedFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f !== '' && existsSync(join(root, f)));
  } catch {
    const walk = (dir: string): string[] =>
      readdirSync(join(root, dir)).flatMap((name) => {
        if (SKIPPED_DIRS.has(name)) return [];
        const path = join(dir, name);
        return statSync(join(root, path)).isDirectory() ? walk(path) : [path];
      });
    return walk('');
  }
}

/** Text only: a NUL byte marks a binary file. */
function textOf(file: string): string | null {
  const buf = readFileSync(join(root, file));
  return buf.includes(0) ? null : buf.toString('utf8');
}

const files = trackedFiles();
const texts = new Map<string, string>();
for (const file of files) {
  const text = textOf(file);
  if (text !== null) texts.set(file, text);
}

/** Spelled in pieces so this file does not match itself. */
const OLD_NOTES = new RegExp(`\\b(?:${['SPEC', 'DOMAIN', 'STYLE'].join('|')})\\.md\\b`);

/** GitHub's anchor for a heading: lowercased, spaces to '-', punctuation dropped. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsIn(mdFile: string): Set<string> {
  const text = readFileSync(join(root, mdFile), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => anchorOf(m[1]!)));
}

/** Problems with a relative link target (path, optional #anchor) seen from `base`, or null if fine. */
function checkTarget(base: string, target: string): string | null {
  const [pathPart = '', anchor] = target.split('#');
  const path = decodeURIComponent(pathPart.split('?')[0]!);
  const abs = path === '' ? join(root, base) : path.startsWith('/') ? join(root, path) : resolve(root, dirname(base), path);
  const rel = relative(root, abs);
  if (rel.startsWith('..')) return `${target} leaves the repo`;
  if (!existsSync(abs)) return `${target} does not exist`;
  if (anchor && rel.endsWith('.md') && !anchorsIn(rel).has(anchor)) return `${target}: no heading #${anchor} in ${rel}`;
  return null;
}

describe('references', () => {
  it('reads a sensible set of files', () => {
    expect(texts.has('README.md')).toBe(true);
    expect(texts.has('CONTRIBUTING.md')).toBe(true);
    expect(texts.size).toBeGreaterThan(100);
  });

  it('cites none of the team notes that lived outside the repo', () => {
    const hits: string[] = [];
    for (const [file, text] of texts) {
      text.split('\n').forEach((line, i) => {
        if (OLD_NOTES.test(line)) hits.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('points every `../`-relative path into shared/ at the repo\'s own folder', () => {
    const hits: string[] = [];
    for (const [file, text] of texts) {
      for (const m of text.matchAll(/(?<![\w.-])((?:\.\.\/)+)shared\//g)) {
        if (resolve(root, dirname(file), m[1]!, 'shared') !== join(root, 'shared')) {
          const line = text.slice(0, m.index).split('\n').length;
          hits.push(`${file}:${line}: ${m[0]}`);
        }
      }
    }
    expect(hits).toEqual([]);
  });

  it('resolves every relative link in README.md, CONTRIBUTING.md and docs/', () => {
    const docs = [...texts.keys()].filter(
      (f) => f === 'README.md' || f === 'CONTRIBUTING.md' || (f.startsWith('docs/') && f.endsWith('.md')),
    );
    expect(docs.length).toBeGreaterThan(3);
    const broken: string[] = [];
    for (const file of docs) {
      const text = texts.get(file)!.replace(/^```[\s\S]*?^```/gm, '');
      for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        const target = m[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const problem = checkTarget(file, target);
        if (problem) broken.push(`${file}: ${problem}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('names only doc pages and headings that exist where code cites docs/', () => {
    const broken: string[] = [];
    for (const [file, text] of texts) {
      if (file.startsWith('docs/') || file.endsWith('.md')) continue;
      for (const m of text.matchAll(/(?<![\w./-])(docs\/[\w./-]+\.md)(#[\w-]+)?/g)) {
        const problem = checkTarget('', `${m[1]}${m[2] ?? ''}`);
        if (problem) broken.push(`${file}: ${problem}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
