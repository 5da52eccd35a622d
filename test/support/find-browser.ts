/**
 * Which Chromium-family browser the end-to-end tests and the benchmarks drive, found the way
 * Google's chrome-launcher (its chrome-finder) and the usual test runners find one: `CHROME_PATH`
 * first, then the browser commands on PATH, then each system's standard install locations.
 * Nothing is downloaded: when none exists, `NO_BROWSER` says how to install one.
 *
 * The file system and environment are passed in so the lookup can be tested on any machine.
 */
import { statSync } from 'node:fs';
import { posix, win32 } from 'node:path';

export interface BrowserLookup {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  /** True when `path` is an existing file (callers check it can be executed where that matters). */
  isFile(path: string): boolean;
}

/** The commands a Chromium, Chrome or Edge install puts on PATH (Debian, Ubuntu, Fedora, Google's and Microsoft's packages). */
const COMMANDS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];
const WINDOWS_COMMANDS = ['chrome.exe', 'msedge.exe', 'chromium.exe'];

const LINUX_PLACES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/usr/bin/microsoft-edge',
  '/opt/microsoft/msedge/msedge',
  // Ubuntu's chromium is a snap: its command lives here, often outside a service's PATH.
  '/snap/bin/chromium',
];

const MAC_APPS = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'];

/** Under Program Files (both) and the user's LocalAppData, where the Chrome, Edge and Chromium installers put them. */
const WINDOWS_APPS = ['Google\\Chrome\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe', 'Chromium\\Application\\chrome.exe'];

/** Every place looked at, in order; the first that exists wins. */
export function browserCandidates(env: BrowserLookup['env'], platform: NodeJS.Platform): string[] {
  const windows = platform === 'win32';
  const path = windows ? win32 : posix;
  const pathValue = env.PATH ?? env.Path ?? '';
  const onPath = pathValue
    .split(windows ? ';' : ':')
    .filter((dir) => dir !== '')
    .flatMap((dir) => (windows ? WINDOWS_COMMANDS : COMMANDS).map((command) => path.join(dir, command)));

  let standard: string[];
  if (platform === 'darwin') {
    const home = env.HOME;
    standard = [...MAC_APPS.map((app) => `/Applications/${app}`), ...(home ? MAC_APPS.map((app) => `${home}/Applications/${app}`) : [])];
  } else if (windows) {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((root): root is string => Boolean(root));
    standard = WINDOWS_APPS.flatMap((app) => roots.map((root) => win32.join(root, app)));
  } else {
    standard = LINUX_PLACES;
  }
  return [...onPath, ...standard];
}

export type BrowserFound = { path: string } | { problem: string };

/** The browser to launch, or the one line that says why there is none. */
export function findBrowser(lookup: BrowserLookup): BrowserFound {
  // CHROMIUM_PATH is the name this project used before CHROME_PATH (chrome-launcher's, Lighthouse's, Karma's).
  for (const name of ['CHROME_PATH', 'CHROMIUM_PATH']) {
    const chosen = lookup.env[name];
    if (chosen === undefined || chosen === '') continue;
    return lookup.isFile(chosen) ? { path: chosen } : { problem: `${name} is ${chosen}, which is not a file: point it at a Chromium, Chrome or Edge executable.` };
  }
  const found = browserCandidates(lookup.env, lookup.platform).find((candidate) => lookup.isFile(candidate));
  return found ? { path: found } : { problem: noBrowserLine(lookup.platform) };
}

/** One line: what is missing and how to get it on this system. */
export function noBrowserLine(platform: NodeJS.Platform): string {
  const install =
    platform === 'darwin'
      ? '`brew install --cask chromium` (or install Google Chrome)'
      : platform === 'win32'
        ? 'install Google Chrome or Microsoft Edge'
        : '`sudo apt-get install chromium chromium-l10n` (Debian; Ubuntu: `sudo snap install chromium`)';
  return `No Chromium, Chrome or Edge found for the end-to-end tests: ${install}, or set CHROME_PATH to a browser executable.`;
}

/** `findBrowser` on this machine. */
export function findSystemBrowser(): BrowserFound {
  return findBrowser({
    env: process.env,
    platform: process.platform,
    isFile: (path) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false,
  });
}
