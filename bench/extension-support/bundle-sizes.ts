/**
 * Gzip sizes of the built extension (.output/chrome-mv3), counted as a browser loads them: a page
 * is its HTML's scripts and stylesheets plus every chunk those import, each file once.
 */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Gzip at level 9, as a store or a CDN would serve it; the budgets in
 * docs/architecture.md#performance-budgets are gzip.
 */
export function gzipBytes(dir: string, path: string): number {
  return gzipSync(readFileSync(join(dir, path)), { level: 9 }).length;
}

// Static imports (`from"./x.js"`, `import"./x.js"`) and dynamic ones (`import("./x.js")`) in
// Vite's minified output.
const STATIC_IMPORTS = /(?:\bfrom|\bimport)\s*["']([^"']+\.js)["']/g;
// Vite writes a dynamic import's path in backticks.
const ANY_IMPORTS = /(?:\bfrom|\bimport)\s*\(?\s*["'`]([^"'`]+\.js)["'`]/g;
// Scripts, module preloads and stylesheets of an HTML page (Vite writes root-relative paths).
const PAGE_ASSETS = /<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+\.(?:js|css))"/g;

/**
 * Every file, relative to `dir`, that loading `html` pulls in (scripts, styles, imported chunks);
 * with `onDemand`, also the chunks it imports later (`import()`), which it may never load.
 */
export function pageFiles(dir: string, html: string, onDemand = false): string[] {
  const imports = onDemand ? ANY_IMPORTS : STATIC_IMPORTS;
  const seen = new Set<string>();
  const visit = (path: string, depth: number) => {
    // Chunks form a tree of a few levels; the bound only guards against a parser surprise.
    if (seen.has(path) || depth > 50) return;
    seen.add(path);
    if (!path.endsWith('.js')) return;
    for (const m of readFileSync(join(dir, path), 'utf8').matchAll(imports)) {
      visit(posix.normalize(posix.join(posix.dirname(path), m[1]!)), depth + 1);
    }
  };
  for (const m of readFileSync(join(dir, html), 'utf8').matchAll(PAGE_ASSETS)) visit(m[1]!.replace(/^\.?\//, ''), 0);
  return [...seen].sort();
}

export interface BundleSizes {
  /** What opening the popup loads: its HTML's scripts and styles and their static imports. */
  popup: { files: string[]; bytes: number };
  /** The chunks the popup loads after its first paint (alert feed, detail, grid): for information. */
  popupOnDemand: { files: string[]; bytes: number };
  /**
   * What a page receives on load: the two functions the background injects (Chrome sends each
   * as its source text), plus any content-script file the manifest declares (none today).
   */
  contentScripts: { file: string; bytes: number }[];
  background: number;
  /** The full panel, injected by the background only when a person opens the badge. */
  panelOnDemand: number;
}

/**
 * The source text of the functions the background injects into a page on load. Imported by
 * address: they are DOM code, which this Node program (typed for Workers) does not type-check.
 */
async function injectedSource(): Promise<string> {
  const modules = [
    { path: '../../extension/lib/detect/page-evidence.ts', name: 'readEvidence' },
    { path: '../../extension/lib/panel/page-badge.ts', name: 'drawBadge' },
  ];
  const texts: string[] = [];
  for (const { path, name } of modules) {
    const module = (await import(new URL(path, import.meta.url).href)) as Record<string, unknown>;
    const fn = module[name];
    if (typeof fn !== 'function') throw new Error(`${path} exports no function ${name}`);
    texts.push(fn.toString());
  }
  return texts.join('\n');
}

export async function bundleSizes(dir: string): Promise<BundleSizes> {
  const files = pageFiles(dir, 'popup.html');
  const later = pageFiles(dir, 'popup.html', true).filter((f) => !files.includes(f));
  const gzipped = (list: string[]) => list.reduce((sum, f) => sum + gzipBytes(dir, f), 0);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    content_scripts?: { js?: string[] }[];
    background?: { service_worker?: string };
  };
  const scripts = [...new Set((manifest.content_scripts ?? []).flatMap((c) => c.js ?? []))];
  return {
    popup: { files, bytes: gzipped(files) },
    popupOnDemand: { files: later, bytes: gzipped(later) },
    contentScripts: [
      // Node's type stripping leaves the source's layout (whitespace where the types were): a
      // little more than the minified text the build sends.
      { file: 'injected readEvidence + drawBadge (source text)', bytes: gzipSync(await injectedSource(), { level: 9 }).length },
      ...scripts.map((file) => ({ file, bytes: gzipBytes(dir, file) })),
    ],
    background: gzipBytes(dir, manifest.background?.service_worker ?? 'background.js'),
    panelOnDemand: gzipBytes(dir, 'panel.js'),
  };
}
