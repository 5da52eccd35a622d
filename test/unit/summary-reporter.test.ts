import { describe, expect, it } from 'vitest';
import { type ModuleOutcome, tallyRun } from '../support/summary-reporter.ts';

/** A test file as vitest reports it: its own state and its tests' states. */
function file(state: string, tests: string[]): ModuleOutcome {
  return { state: () => state, children: { allTests: () => tests.map((testState) => ({ result: () => ({ state: testState }) })) } };
}

describe('the closing line tally', () => {
  it('counts passed, failed and skipped tests', () => {
    expect(tallyRun([file('failed', ['passed', 'failed', 'skipped', 'pending'])], [])).toEqual({ passed: 1, failed: 1, skipped: 2, failedFiles: 0, errors: 0 });
  });

  it('counts a file that failed to load (no test ran) as failed', () => {
    expect(tallyRun([file('passed', ['passed']), file('failed', [])], [])).toMatchObject({ passed: 1, failed: 1, failedFiles: 1 });
  });

  it('does not count a file twice when its failure is a failed test', () => {
    expect(tallyRun([file('failed', ['failed', 'passed'])], [])).toMatchObject({ failed: 1, failedFiles: 0 });
  });

  it('counts every unhandled error as failed, even when every test passed', () => {
    expect(tallyRun([file('passed', ['passed'])], [new Error('late rejection'), new Error('worker crash')])).toMatchObject({ passed: 1, failed: 2, errors: 2 });
  });
});
