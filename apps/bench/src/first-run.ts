/**
 * First runs: each contender once in a fresh Node process, before the JIT has
 * seen any of it, which is how a script that trains one model once meets it.
 * The main table measures after warm-ups, which is how a long session meets
 * it (and, for `compile`, a shape compiled before in the same process).
 *
 * Every contender runs `rounds` times, each time in a process of its own
 * (first-run-child.ts), its floor too, so a ratio compares two first runs.
 * The setup (data, initial parameters) is made before the clock starts; the
 * clock covers the run alone, compilation included where there is one.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { disagreements, type Outcome } from './outcome.js';
import type { ResultRow } from './result-row.js';
import { unstable } from './timed-workload.js';
import { median } from './timing.js';
import {
  compiledMicrograd,
  defaultIdiomaticFit,
  eagerIdiomatic,
  eagerIdiomaticFit,
  eagerMicrograd,
  floorTraining,
  w1Setup,
  type W1Setup,
} from './w1-micrograd-demo.js';
import {
  compileW2,
  descendOnlineFit,
  eagerOnlineFit,
  floorOnlineFit,
  nnOnlineFitViaFit,
  w2Setup,
  type W2Setup,
} from './w2-online-fit.js';
import { fitOnlineMlp, floorOnlineMlp, w5Setup, type W5Setup } from './w5-online-mlp.js';

export interface FirstRunSizes {
  w1Steps: number;
  w2Steps: number;
  w5Epochs: number;
}

interface Contender {
  workload: 'W1' | 'W2' | 'W5';
  name: string;
  /** The name of its floor among the contenders; none for a floor. */
  floor?: string;
  /** Its target: a first run no slower than this contender's (default fit against eager fit). */
  notSlowerThan?: string;
  /** Makes the setup (not timed) and returns the run (timed). */
  prepare: (sizes: FirstRunSizes) => () => Outcome;
}

/** A contender over W1's setup, made before the clock starts. */
const onW1 =
  (run: (setup: W1Setup) => Outcome) =>
  (sizes: FirstRunSizes): (() => Outcome) => {
    const setup = w1Setup(sizes.w1Steps);
    return () => run(setup);
  };

/** A contender over W5's setup, made before the clock starts. */
const onW5 =
  (run: (setup: W5Setup) => Outcome) =>
  (sizes: FirstRunSizes): (() => Outcome) => {
    const setup = w5Setup(sizes.w5Epochs);
    return () => run(setup);
  };

/** A contender over W2's setup, made before the clock starts. */
const onW2 =
  (run: (setup: W2Setup) => Outcome) =>
  (sizes: FirstRunSizes): (() => Outcome) => {
    const setup = w2Setup(sizes.w2Steps);
    return () => run(setup);
  };

export const FIRST_RUN_CONTENDERS: readonly Contender[] = [
  { workload: 'W1', name: 'floor micrograd', prepare: onW1((s) => floorTraining(s, 'micrograd')) },
  {
    workload: 'W1',
    name: '(a) micrograd style',
    floor: 'floor micrograd',
    prepare: onW1(eagerMicrograd),
  },
  {
    workload: 'W1',
    name: '(a) micrograd style through compile()',
    floor: 'floor micrograd',
    prepare: onW1(compiledMicrograd),
  },
  { workload: 'W1', name: 'floor nn', prepare: onW1((s) => floorTraining(s, 'nn')) },
  {
    workload: 'W1',
    name: '(b) idiomatic @ag/nn',
    floor: 'floor nn',
    prepare: onW1(eagerIdiomatic),
  },
  {
    workload: 'W1',
    name: '(b) idiomatic via fit, compile: true',
    floor: 'floor nn',
    prepare: onW1((s) => eagerIdiomaticFit(s, true)),
  },
  {
    workload: 'W1',
    name: 'floor nn, epoch loss',
    prepare: onW1((s) => floorTraining(s, 'nn', 'epoch')),
  },
  {
    workload: 'W1',
    name: 'W1 eager fit',
    floor: 'floor nn',
    prepare: onW1((s) => eagerIdiomaticFit(s, false)),
  },
  {
    workload: 'W1',
    name: 'W1 fit default',
    floor: 'floor nn, epoch loss',
    notSlowerThan: 'W1 eager fit',
    prepare: onW1(defaultIdiomaticFit),
  },
  { workload: 'W2', name: 'floor notebook', prepare: onW2(floorOnlineFit) },
  {
    workload: 'W2',
    name: '(a) Value graph per step',
    floor: 'floor notebook',
    prepare: onW2(eagerOnlineFit),
  },
  {
    workload: 'W2',
    name: '(b) @ag/nn via fit, compile: true',
    floor: 'floor notebook',
    prepare: onW2((s) => nnOnlineFitViaFit(s, true)),
  },
  {
    workload: 'W2',
    name: '(c) compiled, descend, incl. compile',
    floor: 'floor notebook',
    prepare: onW2((s) => descendOnlineFit(s, compileW2())),
  },
  { workload: 'W5', name: 'floor online MLP', prepare: onW5(floorOnlineMlp) },
  {
    workload: 'W5',
    name: 'W5 eager fit',
    floor: 'floor online MLP',
    prepare: onW5((s) => fitOnlineMlp(s, false)),
  },
  {
    workload: 'W5',
    name: 'W5 fit default',
    floor: 'floor online MLP',
    notSlowerThan: 'W5 eager fit',
    prepare: onW5((s) => fitOnlineMlp(s, 'default')),
  },
];

/** What a child process prints: the seconds of its one run and what it returned. */
export interface FirstRunReport {
  seconds: number;
  outcome: Outcome;
}

/** Runs contender `name` once, here, and reports it (first-run-child.ts). */
export function runOnce(name: string, sizes: FirstRunSizes): FirstRunReport {
  const contender = FIRST_RUN_CONTENDERS.find((c) => c.name === name);
  if (contender === undefined) throw new RangeError(`first run: unknown contender '${name}'`);
  const run = contender.prepare(sizes);
  const start = process.hrtime.bigint();
  const outcome = run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, outcome };
}

const CHILD = fileURLToPath(new URL('./first-run-child.ts', import.meta.url));

/** A first run gets this long before it is stopped and the bench fails. */
const CHILD_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * Runs contender `name` in a fresh process, with this process's Node flags
 * unless `nodeArgs` says others (they must let Node run TypeScript, as
 * `--import tsx` does). Throws an Error naming the contender if the process
 * cannot start, fails, is stopped, or prints no report.
 */
export function inChild(
  name: string,
  sizes: FirstRunSizes,
  nodeArgs: readonly string[] = process.execArgv,
): FirstRunReport {
  const out = spawnSync(
    process.execPath,
    [
      ...nodeArgs,
      CHILD,
      name,
      String(sizes.w1Steps),
      String(sizes.w2Steps),
      String(sizes.w5Epochs),
    ],
    { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS },
  );
  const what = `first run of '${name}'`;
  if (out.error !== undefined)
    throw new Error(`${what}: ${out.error.message}`, { cause: out.error });
  if (out.signal !== null)
    throw new Error(
      `${what} was stopped by ${out.signal}${out.signal === 'SIGTERM' ? ' (timed out?)' : ''}`,
    );
  if (out.status !== 0)
    throw new Error(`${what} failed (exit ${out.status}): ${out.stderr.trim()}`);
  const last = out.stdout.trim().split('\n').pop() ?? '';
  try {
    const report = JSON.parse(last) as FirstRunReport;
    if (typeof report.seconds !== 'number' || typeof report.outcome?.loss !== 'number')
      throw new TypeError('no seconds or loss');
    return report;
  } catch (error) {
    throw new Error(`${what} printed no report on its last line: '${last.slice(0, 200)}'`, {
      cause: error,
    });
  }
}

/**
 * The first-run rows: every contender `rounds` times, each run in a fresh
 * process, rounds interleaved as in the main table. Each variant's runs must
 * agree with each other and with its floor's, whose runs must agree too.
 *
 * @example
 * const rows = runFirstRuns({ w1Steps: 100, w2Steps: 200_000, w5Epochs: 30 }, 5, ['W1', 'W2', 'W5']);
 */
export function runFirstRuns(
  sizes: FirstRunSizes,
  rounds: number,
  workloads: readonly string[],
  nodeArgs: readonly string[] = process.execArgv,
): ResultRow[] {
  const contenders = FIRST_RUN_CONTENDERS.filter((c) => workloads.includes(c.workload));
  if (contenders.length === 0)
    throw new RangeError(
      `first runs: only W1, W2 and W5 have them, and ${workloads.join(', ') || 'no workload'} was asked for`,
    );
  const reports = new Map<string, FirstRunReport[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++)
    for (const c of contenders) reports.get(c.name)?.push(inChild(c.name, sizes, nodeArgs));
  const rows: ResultRow[] = [];
  for (const c of contenders) {
    if (c.floor === undefined) continue;
    const mine = reports.get(c.name) as FirstRunReport[];
    const floor = reports.get(c.floor) as FirstRunReport[];
    const seconds = mine.map((m) => m.seconds);
    const floorSeconds = floor.map((m) => m.seconds);
    const problems = [
      ...disagreements((mine[0] as FirstRunReport).outcome, (floor[0] as FirstRunReport).outcome),
      ...unstable(
        mine.map((m) => m.outcome),
        'variant',
      ),
      ...unstable(
        floor.map((m) => m.outcome),
        'floor',
      ),
    ];
    rows.push({
      workload: `${c.workload} first run`,
      variant: c.name,
      medianSeconds: median(seconds),
      floorMedianSeconds: median(floorSeconds),
      ratio: median(seconds) / median(floorSeconds),
      runs: seconds,
      floorRuns: floorSeconds,
      target: null,
      targetMet: null,
      memory: '—',
      memoryFigures: {},
      loss: (mine[0] as FirstRunReport).outcome.loss,
      floorLoss: (floor[0] as FirstRunReport).outcome.loss,
      guard: problems.length === 0 ? 'ok' : problems.join('; '),
    });
  }
  for (const c of contenders) {
    if (c.notSlowerThan === undefined) continue;
    const row = rows.find((r) => r.variant === c.name);
    const other = rows.find((r) => r.variant === c.notSlowerThan);
    if (row === undefined || other === undefined)
      throw new Error(`first runs: '${c.name}' is compared with '${c.notSlowerThan}', not run`);
    row.target = `≤ ${other.variant}`;
    row.targetMet = (row.medianSeconds as number) <= (other.medianSeconds as number);
  }
  return rows;
}
