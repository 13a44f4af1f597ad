// Runs every Vitest project of the workspace (root vitest.config.ts, `test.projects`)
// with the per-file reporter on the terminal and the JSON reporter to a file, then
// prints one plain line `N passed, M failed` that CI reads. A test file that fails to
// load has no failed test in it, so it counts as one failure of its own.
//
//   node scripts/run-tests.mjs [extra vitest args]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './pack.mjs';

export const resultsFile = join(root, '.vitest-results.json');

/** The `N passed, M failed` line for a Vitest JSON report, or null if there is none. */
export function summaryLine(file = resultsFile) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const unloaded = report.testResults.filter(
    (suite) =>
      suite.status === 'failed' && !suite.assertionResults.some((test) => test.status === 'failed'),
  );
  for (const suite of unloaded) {
    console.error(`failed to run ${relative(root, suite.name)}: ${suite.message.split('\n')[0]}`);
  }
  const skipped = report.numPendingTests + report.numTodoTests;
  if (skipped > 0) console.error(`${skipped} test(s) skipped or todo`);
  return `${report.numPassedTests} passed, ${report.numFailedTests + unloaded.length} failed`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(resultsFile, { force: true });
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const result = spawnSync(
    process.execPath,
    [
      vitest,
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${resultsFile}`,
      // The tests that spawn the demo or walk a million nodes take seconds; on a shared
      // 2-core machine Vitest's 5 s default fails them for the load, not for a bug.
      '--testTimeout=60000',
      ...process.argv.slice(2),
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const line = summaryLine();
  if (line === null) console.error(`vitest wrote no report to ${resultsFile}`);
  console.log(line ?? '0 passed, 1 failed');
  process.exit(result.status === 0 && line !== null ? 0 : 1);
}
