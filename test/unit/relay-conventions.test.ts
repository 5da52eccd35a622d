/**
 * The relay's shape, kept by a test: SQL lives in storage modules (`relay/db/`, a feature's
 * `*-db.ts`), never in a route; storage and auth never reach up into routes; and no two relay
 * modules import each other, directly or around a loop (type-only imports count: a cycle of
 * types is still two modules that cannot be read apart).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(root, dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(relative(root, path)));
    else if (name.endsWith('.ts')) out.push(relative(root, path));
  }
  return out;
}

/** Code without comments, so a comment that mentions `prepare(` or an import does not count. */
function codeOf(file: string): string {
  return readFileSync(join(root, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
}

/** The repository paths of a file's relative imports (`import`, `import type`, `export ... from`). */
function localImports(file: string): string[] {
  return [...codeOf(file).matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)].map((m) => relative(root, resolve(root, dirname(file), m[1]!)));
}

/** The first import cycle of the graph, as the loop of paths, or null. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

const relayFiles = sourceFiles('relay');

describe('the relay spine', () => {
  it('keeps SQL out of routes: no prepare( in relay/routes/', () => {
    const routes = relayFiles.filter((f) => f.startsWith('relay/routes/'));
    expect(routes.length).toBeGreaterThan(5);
    for (const file of routes) expect(codeOf(file), file).not.toMatch(/\bprepare\(/);
  });

  it('never lets relay/db/ or relay/auth/ import from relay/routes/', () => {
    const lower = relayFiles.filter((f) => f.startsWith('relay/db/') || f.startsWith('relay/auth/'));
    expect(lower.length).toBeGreaterThan(3);
    for (const file of lower) {
      for (const target of localImports(file)) expect(target, `${file} imports ${target}`).not.toMatch(/^relay\/routes\//);
    }
  });

  it('has no import cycle among the relay modules', () => {
    const graph = new Map(relayFiles.map((f) => [f, localImports(f).filter((t) => t.startsWith('relay/'))]));
    expect(findCycle(graph)).toBeNull();
  });

  it('finds a cycle when there is one, however long the loop', () => {
    expect(findCycle(new Map([['a', ['b']], ['b', ['a']]]))).toEqual(['a', 'b', 'a']);
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['b']]]))).toEqual(['b', 'c', 'b']);
    expect(findCycle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toBeNull();
  });
});
