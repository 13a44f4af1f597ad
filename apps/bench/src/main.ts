/**
 * `pnpm bench`: every workload against its hand-written floor, in one run.
 * Prints the table, optionally writes JSON, and exits 1 if any variant's loss
 * disagrees with its floor's (the correctness guard).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseOptions, USAGE, type BenchOptions, type WorkloadId } from './cli-options.js';
import { runFirstRuns } from './first-run.js';
import { canCollect } from './heap.js';
import { formatTable, type ResultRow } from './result-row.js';
import type { TimingPlan } from './timing.js';
import { runW1 } from './w1-micrograd-demo.js';
import { runW2 } from './w2-online-fit.js';
import { runW3 } from './w3-depth.js';
import { runW4 } from './w4-memory.js';
import { runW5 } from './w5-online-mlp.js';
import { runW6 } from './w6-minibatch-mlp.js';
import { runSolvers } from './solvers.js';

/** How big each workload is: the full run, or `--quick` (once, few steps). */
interface Sizes {
  plan: TimingPlan;
  /** The TensorFlow.js peers (W1, W5): some seconds a run, so fewer rounds. */
  peerPlan: TimingPlan;
  /** W3's compiled 10⁶-node chain: seconds a run, timed without warm-up. */
  compilePlan: TimingPlan;
  w1Steps: number;
  w2Steps: number;
  w3Ops: number;
  w4Nodes: number;
  w5Epochs: number;
  w6Epochs: number;
}

function sizes(quick: boolean): Sizes {
  return quick
    ? {
        plan: { warmups: 0, rounds: 1 },
        peerPlan: { warmups: 0, rounds: 1 },
        compilePlan: { warmups: 0, rounds: 1 },
        w1Steps: 5,
        w2Steps: 20_000,
        w3Ops: 100_000,
        w4Nodes: 100_000,
        w5Epochs: 1,
        w6Epochs: 1,
      }
    : {
        plan: { warmups: 2, rounds: 7 },
        peerPlan: { warmups: 1, rounds: 3 },
        compilePlan: { warmups: 0, rounds: 3 },
        w1Steps: 100,
        w2Steps: 200_000,
        w3Ops: 1_000_000,
        w4Nodes: 1_000_000,
        w5Epochs: 30,
        w6Epochs: 20,
      };
}

/** Processes per contender with --first-run. */
const FIRST_RUN_ROUNDS = 5;

function runWorkload(id: WorkloadId, options: BenchOptions): ResultRow[] {
  const s = sizes(options.quick);
  switch (id) {
    case 'W1':
      return runW1({ steps: s.w1Steps, plan: s.plan, peerPlan: s.peerPlan });
    case 'W2':
      return runW2({ steps: s.w2Steps, plan: s.plan });
    case 'W3':
      return runW3({ ops: s.w3Ops, plan: s.plan, compilePlan: s.compilePlan });
    case 'W4':
      return runW4({ nodes: s.w4Nodes });
    case 'W5':
      return runW5({ epochs: s.w5Epochs, plan: s.plan, peerPlan: s.peerPlan });
    case 'W6':
      return runW6({ epochs: s.w6Epochs, plan: s.plan });
    case 'SOLVERS':
      return runSolvers({ evaluations: options.quick ? 50 : 2000, plan: s.plan });
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
  const s = sizes(options.quick);
  const firstRuns = {
    processesPerContender: options.quick ? 1 : FIRST_RUN_ROUNDS,
    w1Steps: s.w1Steps,
    w2Steps: s.w2Steps,
    w5Epochs: s.w5Epochs,
  };
  if (options.firstRun)
    rows.push(...runFirstRuns(firstRuns, firstRuns.processesPerContender, options.only));
  else
    for (const id of options.only) {
      const before = rows.length;
      rows.push(...runWorkload(id, options));
      process.stderr.write(
        `bench: ${id} done (${rows.length - before} rows, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
      );
    }
  console.log(formatTable(rows));
  if (options.firstRun)
    console.log(
      `\nfirst runs: each run in a fresh Node process, before the JIT has seen any of it; median of ${firstRuns.processesPerContender} processes per row, ratio to the floor's first run.`,
    );
  if (options.quick)
    console.log(
      '\n--quick: one run of each, few steps; it checks that everything runs and agrees, the times measure nothing.',
    );
  for (const r of rows)
    if (r.note !== undefined) console.log(`note: ${r.workload} ${r.variant}: ${r.note}`);
  if (options.jsonFile !== null) {
    const file = resolve(options.jsonFile);
    const report = {
      quick: options.quick,
      plan: options.firstRun ? { firstRun: true, ...firstRuns } : s,
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
