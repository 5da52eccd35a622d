import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { installDrift } from '../../scripts/bootstrap.mjs';

const lock = (packages: Record<string, object>): string => JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'x' }, ...packages } });
const hono = { version: '4.13.19', integrity: 'sha512-a' };
const darwinOnly = { version: '1.0.0', integrity: 'sha512-d', optional: true, os: ['darwin'] };

describe('installDrift: does node_modules match package-lock.json', () => {
  it('asks for an install when node_modules was never installed', () => {
    expect(installDrift(lock({ 'node_modules/hono': hono }), null)).toBe('node_modules is missing');
  });

  it('accepts an install that has every package of the lock at its version', () => {
    expect(installDrift(lock({ 'node_modules/hono': hono }), lock({ 'node_modules/hono': hono }))).toBeNull();
  });

  it('accepts a missing optional package: another platform build is never installed', () => {
    expect(installDrift(lock({ 'node_modules/hono': hono, 'node_modules/x-darwin': darwinOnly }), lock({ 'node_modules/hono': hono }))).toBeNull();
  });

  it('asks for an install when the lock moved a package to another version', () => {
    const installed = lock({ 'node_modules/hono': { version: '4.0.0', integrity: 'sha512-old' } });
    expect(installDrift(lock({ 'node_modules/hono': hono }), installed)).toBe('node_modules/hono is 4.0.0, the lock says 4.13.19');
  });

  it('asks for an install when a required package is missing or one left the lock', () => {
    expect(installDrift(lock({ 'node_modules/hono': hono }), lock({}))).toBe('node_modules/hono is not installed');
    expect(installDrift(lock({}), lock({ 'node_modules/hono': hono }))).toBe('node_modules/hono is installed but no longer in package-lock.json');
  });
});

describe('scripts/bootstrap.mjs on a fresh clone', { timeout: 30_000 }, () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A clone with a lock and no node_modules, and a fake `npm` first on PATH that installs a fake Node 22. */
  function freshClone(): { root: string; log: string; path: string } {
    const root = mkdtempSync(join(tmpdir(), 'storewatch-bootstrap-'));
    dirs.push(root);
    mkdirSync(join(root, 'scripts'));
    copyFileSync(fileURLToPath(new URL('../../scripts/bootstrap.mjs', import.meta.url)), join(root, 'scripts', 'bootstrap.mjs'));
    const lockText = lock({ 'node_modules/hono': hono });
    writeFileSync(join(root, 'package-lock.json'), lockText);
    const fakeBin = join(root, 'fake-bin');
    mkdirSync(fakeBin);
    const log = join(root, 'calls.log');
    const script = (body: string): string => `#!${process.execPath}\nconst fs = require('node:fs');\n${body}\n`;
    // `npm ci` writes the hidden lockfile and a `node` that says it is the pinned one.
    writeFileSync(
      join(fakeBin, 'npm'),
      script(`fs.appendFileSync(${JSON.stringify(log)}, 'npm ' + process.argv.slice(2).join(' ') + '\\n');
fs.mkdirSync('node_modules/.bin', { recursive: true });
fs.writeFileSync('node_modules/.package-lock.json', ${JSON.stringify(lockText)});
fs.writeFileSync('node_modules/.bin/node', ${JSON.stringify(script(`fs.appendFileSync(${JSON.stringify(log)}, 'pinned node ' + process.argv.slice(2).join(' ') + '\\n'); process.exit(3);`))}, { mode: 0o755 });`),
    );
    chmodSync(join(fakeBin, 'npm'), 0o755);
    return { root, log, path: `${fakeBin}${delimiter}${process.env.PATH ?? ''}` };
  }

  function bootstrapRun(clone: { root: string; path: string }, nodeFlags: string[], args: string[]): { status: number | null; stderr: string } {
    const result = spawnSync(process.execPath, [...nodeFlags, join(clone.root, 'scripts', 'bootstrap.mjs'), ...args], {
      cwd: clone.root,
      env: { ...process.env, PATH: clone.path },
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { status: result.status, stderr: result.stderr };
  }
  const bootstrap = (clone: { root: string; path: string }, ...args: string[]): number | null => bootstrapRun(clone, [], args).status;

  it('installs with npm ci, then runs the command on the pinned node and passes on its exit code', () => {
    const clone = freshClone();
    expect(bootstrap(clone, 'node', 'scripts/start.ts')).toBe(3);
    expect(readFileSync(clone.log, 'utf8')).toBe('npm ci\npinned node scripts/start.ts\n');
  });

  it('does not install again when node_modules matches the lock', () => {
    const clone = freshClone();
    bootstrap(clone, 'node', 'a.ts');
    bootstrap(clone, 'node', 'b.ts');
    expect(readFileSync(clone.log, 'utf8')).toBe('npm ci\npinned node a.ts\npinned node b.ts\n');
  });

  it('refuses a Node older than 20 with a message saying what to install, before installing anything', () => {
    const clone = freshClone();
    // This Node made to say it is 18: the same file runs on a real one (nothing in it needs Node 20 to parse).
    const node18 = `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'18.19.0'});Object.defineProperty(process,'version',{value:'v18.19.0'});`;
    const run = bootstrapRun(clone, ['--import', node18], ['node', 'scripts/start.ts']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Storewatch needs Node.js 20 or newer to start (this is v18.19.0)');
    expect(existsSync(clone.log)).toBe(false);
  });
});
