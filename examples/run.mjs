// Runs every example (each `*.ts` file in this folder) as a reader would, with tsx, and
// with the `@ag/source` condition so `@ag/*` resolve to the workspace sources without a
// build. An example checks its own result and exits non-zero when it is wrong; the last
// line printed is `N passed, M failed` (one per example), which `pnpm verify` adds up.
//
//   node examples/run.mjs [name ...]    (names without .ts; default: all)
//
// Adding an example is adding a file: nothing here lists them.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, '..', 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');

const all = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`examples: no example named ${unknown.join(', ')}; examples: ${all.join(', ')}`);
  process.exit(2);
}
const names = wanted.length > 0 ? wanted : all;

function run(name) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(
      process.execPath,
      ['--conditions=@ag/source', '--import', tsx, `${name}.ts`],
      {
        cwd: here,
        timeout: 300_000,
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => (output += error.message));
    child.on('close', (status, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      resolve({ name, ok: status === 0, status: status ?? signal, output, seconds });
    });
  });
}

// Two at a time: the examples are small, and the machine is shared.
const results = [];
let next = 0;
const worker = async () => {
  while (next < names.length) {
    const name = names[next++];
    results.push(await run(name));
  }
};
await Promise.all(Array.from({ length: Math.min(2, availableParallelism()) }, worker));

for (const name of names) {
  const { ok, status, output, seconds } = results.find((r) => r.name === name);
  console.log(`\n--- examples/${name}.ts: ${ok ? 'ok' : `FAILED (exit ${status})`} in ${seconds}s`);
  process.stdout.write(output.endsWith('\n') || output === '' ? output : `${output}\n`);
}
const failed = results.filter((r) => !r.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
