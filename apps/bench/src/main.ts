/**
 * `pnpm bench`: every workload against its hand-written floor, in one run.
 * Prints the table, optionally writes JSON, and exits 1 if any variant's loss
 * disagrees with its floor's (the correctness guard).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseOptions, USAGE, type BenchOptions, type WorkloadId } from './cli-options.js';
import { canCollect } from './heap.js';
import { formatTable, type ResultRow } from './result-row.js';
import type { TimingPlan } from './timing.js';
import { runW1 } from './w1-micrograd-demo.js';

function sizes(quick: boolean): { w1Steps: number; plan: TimingPlan } {
  return quick
    ? { w1Steps: 5, plan: { warmups: 0, rounds: 1 } }
    : { w1Steps: 100, plan: { warmups: 1, rounds: 7 } };
}

function runWorkload(id: WorkloadId, options: BenchOptions): ResultRow[] {
  const s = sizes(options.quick);
  switch (id) {
    case 'W1':
      return runW1({ steps: s.w1Steps, plan: s.plan });
    default:
      return [];
  }
}

function main(argv: readonly string[]): number {
  let options: BenchOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!canCollect)
    console.error(
      'bench: gc() is not exposed (run with node --expose-gc); memory figures are unreliable',
    );
  const started = Date.now();
  const rows: ResultRow[] = [];
  for (const id of options.only) {
    const before = rows.length;
    rows.push(...runWorkload(id, options));
    process.stderr.write(
      `bench: ${id} done (${rows.length - before} rows, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
  }
  console.log(formatTable(rows));
  if (options.jsonFile !== null) {
    const file = resolve(options.jsonFile);
    const report = {
      quick: options.quick,
      node: process.version,
      date: new Date().toISOString(),
      rows,
    };
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwrote ${file}`);
  }
  const failed = rows.filter((r) => r.guard !== 'ok' && r.guard !== 'n/a');
  if (failed.length > 0) {
    console.error('\nCORRECTNESS GUARD FAILED: a variant does not compute what its floor computes');
    for (const r of failed) console.error(`  ${r.workload} ${r.variant}: ${r.guard}`);
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
