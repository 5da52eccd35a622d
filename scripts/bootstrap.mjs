/**
 * What `npm start` and `npm test` run first, on whatever Node is on the machine (20 or newer):
 * installs the dependencies when they are missing or no longer match package-lock.json (`npm ci`),
 * then runs the command given on the pinned Node 22 (`node_modules/.bin/node`, the `node` dev
 * dependency), so a fresh clone needs only `npm start` or `npm test`.
 *
 *   node scripts/bootstrap.mjs <command> [args...]
 *
 * Plain JavaScript on purpose: Node 20 cannot run the project's TypeScript, and this file must run
 * before anything is installed. It imports nothing from node_modules.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OLDEST_NODE = 20;
const root = fileURLToPath(new URL('..', import.meta.url));
const windows = process.platform === 'win32';

const major = Number(process.versions.node.split('.')[0]);
if (!(major >= OLDEST_NODE)) {
  console.error(`Storewatch needs Node.js ${OLDEST_NODE} or newer to start (this is ${process.version}); install it from https://nodejs.org and run the command again.`);
  process.exit(1);
}

/**
 * Why node_modules does not match package-lock.json, or null when it does. npm records what it
 * installed in node_modules/.package-lock.json (its "hidden lockfile"); an optional package for
 * another platform is in the lock but never installed, so only a missing required one counts.
 */
export function installDrift(lockText, installedText) {
  if (installedText === null) return 'node_modules is missing';
  const wanted = JSON.parse(lockText).packages ?? {};
  const installed = JSON.parse(installedText).packages ?? {};
  for (const [path, entry] of Object.entries(wanted)) {
    if (path === '') continue;
    const have = installed[path];
    if (!have) {
      if (entry.optional || entry.devOptional || entry.peer) continue;
      return `${path} is not installed`;
    }
    if (have.version !== entry.version || have.integrity !== entry.integrity) return `${path} is ${have.version}, the lock says ${entry.version}`;
  }
  for (const path of Object.keys(installed)) {
    if (!(path in wanted)) return `${path} is installed but no longer in package-lock.json`;
  }
  return null;
}

function readOrNull(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

function run(command, args, env) {
  // npm is npm.cmd on Windows, which only a shell can start.
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env, shell: windows });
}

function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error('usage: node scripts/bootstrap.mjs <command> [args...]');
    process.exit(2);
  }

  const drift = installDrift(readFileSync(join(root, 'package-lock.json'), 'utf8'), readOrNull(join(root, 'node_modules', '.package-lock.json')));
  if (drift !== null) {
    console.log(`· ${drift}: installing dependencies (npm ci)`);
    if (major < 22) console.log(`  (npm runs on this Node ${process.version}: its "Unsupported engine" warnings are expected, the tools then run on the pinned Node 22)`);
    const install = run('npm', ['ci'], process.env);
    if (install.status !== 0) {
      console.error('npm ci failed (see above); nothing else was run.');
      process.exit(install.status ?? 1);
    }
  }

  // node_modules/.bin first: `node` there is the pinned Node 22, and the project's tools are there.
  const bin = join(root, 'node_modules', '.bin');
  const pathKey = Object.keys(process.env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH';
  const env = { ...process.env, [pathKey]: `${bin}${delimiter}${process.env[pathKey] ?? ''}` };
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env, shell: windows });
  // Ctrl-C reaches the child from the terminal itself; this process waits for it to finish.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (signal !== 'SIGINT') child.kill(signal);
    });
  }
  child.on('error', (error) => {
    console.error(`could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

// Imported by its test for installDrift alone; run as a script otherwise.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
