// The one command that checks everything (`pnpm verify`; .ci/run and the README use it).
// Steps run in order, each to the end even when an earlier one failed, so one run shows
// every problem; any failed step fails verify.
//
// A step that runs tests prints a bare `N passed, M failed` line (scripts/run-tests.mjs
// for Vitest, the playground's end-to-end runner); verify sums the last such line of
// each step and prints the total as its own last line, which CI reads. If the Vitest step
// printed no count, it counts as one failure.
//
// To add a step, append one line to `steps`: [name, command, ...args], e.g.
//   ['bench (quick)', 'pnpm', 'run', 'bench', '--quick'],
// `pnpm` runs the workspace's pinned pnpm and `node` this Node, whatever is on PATH.
// `pnpm verify <step> ...` runs only the steps named (quote names with spaces).
import { spawn } from 'node:child_process';
import { pnpmCommand, root } from './pack.mjs';

const steps = [
  // The playground is built by its end-to-end step, which serves what it builds.
  ['build', 'pnpm', 'run', 'build', '--filter=!@ag/playground'],
  ['lint', 'pnpm', 'run', 'lint'],
  ['format', 'pnpm', 'run', 'format:check'],
  ['typecheck', 'pnpm', 'run', 'typecheck'],
  ['tests', 'node', 'scripts/run-tests.mjs'],
  ['package checks', 'pnpm', 'run', 'check:pkg'],
  ['docs', 'pnpm', 'run', 'docs'],
  ['snippets', 'node', 'scripts/check-snippets.mjs'],
  ['examples', 'node', 'examples/run.mjs'],
  ['workflows', 'node', 'scripts/check-workflows.mjs'],
  ['release flow', 'node', 'scripts/release-flow.mjs'],
  ['playground e2e', 'node', 'apps/playground/e2e/run.mjs'],
  ['bench (quick)', 'pnpm', 'run', 'bench', '--quick'],
  ['bench first runs (quick)', 'pnpm', 'run', 'bench', '--quick', '--first-run'],
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

const COUNT = /^(\d+) passed, (\d+) failed$/;

/** Runs a step, streaming its output, and returns its exit status and last count line. */
function runStep(file, argv) {
  return new Promise((resolvePromise) => {
    // Output goes through a pipe to be read, so tell colour-aware tools about the terminal.
    const env = process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env;
    const child = spawn(file, argv, { cwd: root, env, stdio: ['inherit', 'pipe', 'inherit'] });
    let pending = '';
    let count = null;
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = COUNT.exec(line.trim());
        if (match) count = { passed: Number(match[1]), failed: Number(match[2]) };
      }
    });
    child.on('error', (error) => {
      console.error(`verify: could not start ${file}: ${error.message}`);
    });
    child.on('close', (status) => {
      const match = COUNT.exec(pending.trim());
      if (match) count = { passed: Number(match[1]), failed: Number(match[2]) };
      resolvePromise({ ok: status === 0, count });
    });
  });
}

const outcomes = [];
for (const [name, cmd, ...args] of steps) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n=== verify: ${name} (${[cmd, ...args].join(' ')})`);
  const started = Date.now();
  const [file, argv] = resolve(cmd, args);
  const { ok, count } = await runStep(file, argv);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  outcomes.push({ name, ok, seconds, count });
  console.log(`=== verify: ${name} ${ok ? 'passed' : 'FAILED'} in ${seconds}s`);
}

console.log('\n=== verify: summary');
for (const { name, ok, seconds, count } of outcomes) {
  const tests = count ? `, ${count.passed} passed, ${count.failed} failed` : '';
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name} (${seconds}s${tests})`);
}
const failed = outcomes.filter((o) => !o.ok).map((o) => o.name);
if (failed.length > 0) console.error(`verify failed at: ${failed.join(', ')}`);
const testSteps = outcomes.filter((o) => o.count || o.name === 'tests');
if (testSteps.length > 0) {
  const passed = testSteps.reduce((n, o) => n + (o.count?.passed ?? 0), 0);
  const failedTests = testSteps.reduce((n, o) => n + (o.count?.failed ?? 1), 0);
  console.log(`${passed} passed, ${failedTests} failed`);
}
process.exit(failed.length > 0 ? 1 : 0);
