/**
 * What the e2e project runs instead of its tests when this machine has no browser for them
 * (vitest.config.ts): one failing test whose message says how to get one, rather than a launch
 * error in every file - and the other projects still run.
 */
import { expect, it } from 'vitest';
import { findSystemBrowser } from '../../support/find-browser.ts';

it('finds a Chromium, Chrome or Edge to run the end-to-end tests in', () => {
  const found = findSystemBrowser();
  // The failure reads as the problem line itself (how to install a browser), not a diff of objects.
  if ('problem' in found) throw new Error(found.problem);
  expect(found.path).not.toBe('');
});
