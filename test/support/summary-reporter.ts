import type { SerializedError } from 'vitest';
import type { Reporter, TestModule } from 'vitest/node';

export interface RunTally {
  passed: number;
  failed: number;
  skipped: number;
  /** Files that failed outside any test: an import error, a throwing hook. */
  failedFiles: number;
  /** Errors no test caught (unhandled rejections, a crashed worker). */
  errors: number;
}

/** The part of vitest's TestModule the tally reads. */
export interface ModuleOutcome {
  state(): string;
  children: { allTests(): Iterable<{ result(): { state: string } }> };
}

/** Counts a run: `failed` is failed tests plus files that failed outside a test plus unhandled errors. */
export function tallyRun(testModules: ReadonlyArray<ModuleOutcome>, unhandledErrors: ReadonlyArray<unknown>): RunTally {
  const tally: RunTally = { passed: 0, failed: 0, skipped: 0, failedFiles: 0, errors: unhandledErrors.length };
  for (const module of testModules) {
    let failedTests = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') tally.passed++;
      else if (state === 'failed') failedTests++;
      else tally.skipped++;
    }
    tally.failed += failedTests;
    // A file that failed with no failed test failed to load or in a hook: its tests never counted.
    if (module.state() === 'failed' && failedTests === 0) tally.failedFiles++;
  }
  tally.failed += tally.failedFiles + tally.errors;
  return tally;
}

/**
 * Ends the run with one plain line, `vitest: N passed, N failed, N skipped`, so that a CI reading
 * only the closing line of the log (not vitest's own table) still knows how the run went. A file
 * that fails to load or an unhandled error counts as failed, with a line before saying which.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const tally = tallyRun(testModules, unhandledErrors);
    if (tally.failedFiles > 0 || tally.errors > 0) {
      console.log(`vitest: of the failed, ${tally.failedFiles} test files failed outside a test and ${tally.errors} errors were unhandled`);
    }
    console.log(`vitest: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
  }
}
