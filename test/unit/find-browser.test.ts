import { describe, expect, it } from 'vitest';
import { type BrowserLookup, findBrowser, noBrowserLine } from '../support/find-browser.ts';

function machine(platform: NodeJS.Platform, env: BrowserLookup['env'], files: string[]): BrowserLookup {
  const present = new Set(files);
  return { platform, env, isFile: (path) => present.has(path) };
}

describe('findBrowser: the browser the end-to-end tests and benchmarks launch', () => {
  it('takes CHROME_PATH before anything on PATH or in a standard place', () => {
    const lookup = machine('linux', { CHROME_PATH: '/opt/mine/chrome', PATH: '/usr/bin' }, ['/opt/mine/chrome', '/usr/bin/chromium']);
    expect(findBrowser(lookup)).toEqual({ path: '/opt/mine/chrome' });
  });

  it('says so when CHROME_PATH names no file, rather than quietly launching another browser', () => {
    const lookup = machine('linux', { CHROME_PATH: '/opt/gone/chrome', PATH: '/usr/bin' }, ['/usr/bin/chromium']);
    expect(findBrowser(lookup)).toEqual({ problem: 'CHROME_PATH is /opt/gone/chrome, which is not a file: point it at a Chromium, Chrome or Edge executable.' });
  });

  it('still honours the older CHROMIUM_PATH', () => {
    expect(findBrowser(machine('linux', { CHROMIUM_PATH: '/x/chromium' }, ['/x/chromium']))).toEqual({ path: '/x/chromium' });
  });

  it('finds Chrome on PATH in the order of the PATH directories', () => {
    const lookup = machine('linux', { PATH: '/home/me/bin:/usr/local/bin' }, ['/usr/local/bin/chromium', '/home/me/bin/google-chrome-stable']);
    expect(findBrowser(lookup)).toEqual({ path: '/home/me/bin/google-chrome-stable' });
  });

  it('finds Edge on PATH when it is the only browser', () => {
    expect(findBrowser(machine('linux', { PATH: '/usr/bin' }, ['/usr/bin/microsoft-edge']))).toEqual({ path: '/usr/bin/microsoft-edge' });
  });

  it("finds Ubuntu's snap Chromium outside PATH", () => {
    expect(findBrowser(machine('linux', { PATH: '/usr/bin' }, ['/snap/bin/chromium']))).toEqual({ path: '/snap/bin/chromium' });
  });

  it("finds Google's Linux package under /opt", () => {
    expect(findBrowser(machine('linux', {}, ['/opt/google/chrome/chrome']))).toEqual({ path: '/opt/google/chrome/chrome' });
  });

  it('finds Chrome in /Applications on macOS, or in the user Applications folder', () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findBrowser(machine('darwin', { PATH: '/usr/bin', HOME: '/Users/me' }, [chrome]))).toEqual({ path: chrome });
    const own = '/Users/me/Applications/Chromium.app/Contents/MacOS/Chromium';
    expect(findBrowser(machine('darwin', { PATH: '/usr/bin', HOME: '/Users/me' }, [own]))).toEqual({ path: own });
  });

  it('finds Chrome under LOCALAPPDATA and Edge under Program Files (x86) on Windows', () => {
    const env = { Path: 'C:\\Windows\\system32', PROGRAMFILES: 'C:\\Program Files', 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' };
    const userChrome = 'C:\\Users\\me\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe';
    expect(findBrowser(machine('win32', env, [userChrome]))).toEqual({ path: userChrome });
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    expect(findBrowser(machine('win32', env, [edge]))).toEqual({ path: edge });
  });

  it('finds chrome.exe on a Windows PATH', () => {
    expect(findBrowser(machine('win32', { Path: 'C:\\tools;C:\\bin' }, ['C:\\bin\\chrome.exe']))).toEqual({ path: 'C:\\bin\\chrome.exe' });
  });

  it('without any browser, answers one line that says how to install one on this system', () => {
    const linux = findBrowser(machine('linux', { PATH: '/usr/bin:/bin' }, []));
    expect(linux).toEqual({ problem: noBrowserLine('linux') });
    expect(noBrowserLine('linux')).toMatch(/apt-get install chromium/);
    expect(noBrowserLine('darwin')).toMatch(/brew install --cask chromium/);
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(noBrowserLine(platform)).toMatch(/CHROME_PATH/);
      expect(noBrowserLine(platform)).not.toMatch(/\n/);
    }
  });
});
