/**
 * Makes package-lock.json acceptable to `npm ci` on machines whose npm registry does not serve
 * every platform's build of a package (this workplace's mirror lacks e.g. the macOS and Windows
 * builds of recent workerd and oxlint releases). `npm install` then leaves those optional
 * dependencies out of the lock, and `npm ci` refuses the lock as "Missing: ... from lock file".
 *
 * We add an entry for each missing non-Linux optional dependency, marked optional with its `os`,
 * so npm records it and skips it here (os mismatch) without ever fetching it. Linux builds are
 * never stubbed: a missing Linux build must fail loudly.
 *
 * Run after changing dependencies: `npm install && node scripts/complete-lockfile.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface LockEntry {
  version?: string;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

const FOREIGN_OS: ReadonlyArray<[RegExp, string]> = [
  [/darwin/, 'darwin'],
  [/win32|windows/, 'win32'],
  [/freebsd/, 'freebsd'],
  [/android/, 'android'],
  [/openharmony/, 'openharmony'],
];

function foreignOs(name: string): string | null {
  for (const [pattern, os] of FOREIGN_OS) if (pattern.test(name)) return os;
  return null;
}

const path = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(path, 'utf8')) as { packages: Record<string, LockEntry> };
const packages = lock.packages;
let added = 0;
for (const [key, meta] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${key ? `${key}/` : ''}node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (packages[nested] || packages[hoisted]?.version === version) continue;
    const os = foreignOs(dep);
    if (!os) continue;
    packages[packages[hoisted] ? nested : hoisted] = { version, dev: true, optional: true, os: [os] };
    added++;
  }
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform entries`);
