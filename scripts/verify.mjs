// The one command that checks everything (`pnpm verify`; .ci/run and the README use it).
// Steps run in order, each to the end even when an earlier one failed, so one run shows
// every problem; any failed step fails verify. The last line printed is the test count,
// `N passed, M failed`, which CI reads.
//
// To add a step, append one line to `steps`: [name, command, ...args], e.g.
//   ['bench (quick)', 'pnpm', 'run', 'bench', '--quick'],
// `pnpm` runs the workspace's pinned pnpm and `node` this Node, whatever is on PATH.
// `pnpm verify <step> ...` runs only the steps named (quote names with spaces).
import { spawnSync } from 'node:child_process';
import { pnpmCommand, root } from './pack.mjs';
import { summaryLine } from './run-tests.mjs';

const steps = [
  ['build', 'pnpm', 'run', 'build'],
  ['lint', 'pnpm', 'run', 'lint'],
  ['typecheck', 'pnpm', 'run', 'typecheck'],
  ['tests', 'node', 'scripts/run-tests.mjs'],
  ['package checks', 'pnpm', 'run', 'check:pkg'],
  ['release flow', 'node', 'scripts/release-flow.mjs'],
  ['playground e2e', 'node', 'apps/playground/e2e/run.mjs'],
];

const only = process.argv.slice(2);
const unknown = only.filter((name) => !steps.some(([step]) => step === name));
if (unknown.length > 0) {
  console.error(
    `verify: no step named ${unknown.join(', ')}; steps: ${steps.map(([s]) => s).join(', ')}`,
  );
  process.exit(2);
}

function resolve(cmd, args) {
  if (cmd === 'node') return [process.execPath, args];
  if (cmd === 'pnpm') {
    const pnpm = pnpmCommand();
    return [pnpm.cmd, [...pnpm.args, ...args]];
  }
  return [cmd, args];
}

const outcomes = [];
for (const [name, cmd, ...args] of steps) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n=== verify: ${name} (${[cmd, ...args].join(' ')})`);
  const started = Date.now();
  const [file, argv] = resolve(cmd, args);
  const result = spawnSync(file, argv, { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  outcomes.push({ name, ok, seconds });
  console.log(`=== verify: ${name} ${ok ? 'passed' : 'FAILED'} in ${seconds}s`);
}

console.log('\n=== verify: summary');
for (const { name, ok, seconds } of outcomes) {
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name} (${seconds}s)`);
}
const failed = outcomes.filter((o) => !o.ok).map((o) => o.name);
if (failed.length > 0) console.error(`verify failed at: ${failed.join(', ')}`);
if (outcomes.some((o) => o.name === 'tests')) console.log(summaryLine() ?? '0 passed, 1 failed');
process.exit(failed.length > 0 ? 1 : 0);
