/** The command line of `pnpm bench`: `--quick`, `--json [file]`, `--only W1,W3`, `--first-run`. */

export const WORKLOADS = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'SOLVERS'] as const;
export type WorkloadId = (typeof WORKLOADS)[number];
/** What runs without --only: the solvers' tables (about a minute) only when asked for. */
const DEFAULT_WORKLOADS: readonly WorkloadId[] = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6'];

/** The workloads that have first runs (first-run.ts). */
export const FIRST_RUN_WORKLOADS: readonly WorkloadId[] = ['W1', 'W2', 'W5'];

export interface BenchOptions {
  /** One run of each workload with few steps: proves it works, measures nothing. */
  quick: boolean;
  /** Where to write the results as JSON, or null for no file. */
  jsonFile: string | null;
  /** The workloads to run, in the order of {@link WORKLOADS}. */
  only: WorkloadId[];
  /** Instead of the workloads, W1's, W2's and W5's first runs, each in a fresh process (first-run.ts). */
  firstRun: boolean;
}

export const USAGE = `usage: pnpm bench [--quick] [--json [file]] [--only W1,W2,W3,W4,W5,W6,solvers] [--first-run]
  --quick        each workload once with few steps (checks that it works, < 1 min)
  --json [file]  also write the results as JSON (default bench-results.json)
  --only list    run only these workloads (solvers: only when named)
  --first-run    instead, W1's, W2's and W5's first runs, each in a fresh Node process`;

/**
 * Parses the arguments after `src/main.ts`; throws a RangeError naming the
 * argument on anything it does not know.
 *
 * @example
 * parseOptions(['--quick', '--only', 'W1,W2']);
 * // { quick: true, jsonFile: null, only: ['W1', 'W2'], firstRun: false }
 */
export function parseOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let jsonFile: string | null = null;
  let only: WorkloadId[] = [...DEFAULT_WORKLOADS];
  let firstRun = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = splitInline(arg);
    if (flag === '--quick' && inline === undefined) {
      quick = true;
    } else if (flag === '--first-run' && inline === undefined) {
      firstRun = true;
    } else if (flag === '--json') {
      const next = argv[i + 1];
      if (inline !== undefined) jsonFile = inline;
      else if (next !== undefined && !next.startsWith('--')) jsonFile = argv[++i] as string;
      else jsonFile = 'bench-results.json';
      if (jsonFile === '')
        throw new RangeError('--json: expected a file name, received an empty string');
    } else if (flag === '--only') {
      const list = inline ?? argv[++i];
      if (list === undefined)
        throw new RangeError('--only: expected a list such as W1,W3, received nothing');
      only = parseOnly(list);
    } else if (arg === '--') {
      // pnpm passes a lone `--` through on some versions; it means nothing here.
    } else {
      throw new RangeError(
        `unknown argument '${arg}' (expected --quick, --json [file], --only W1,... or --first-run)`,
      );
    }
  }
  if (firstRun && !only.some((w) => FIRST_RUN_WORKLOADS.includes(w)))
    throw new RangeError(
      `--first-run: only ${FIRST_RUN_WORKLOADS.join(', ')} have first runs, but --only names ${only.join(', ')}`,
    );
  return { quick, jsonFile, only, firstRun };
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function parseOnly(list: string): WorkloadId[] {
  const wanted = new Set<WorkloadId>();
  for (const raw of list.split(',')) {
    const id = raw.trim().toUpperCase();
    if (!(WORKLOADS as readonly string[]).includes(id)) {
      throw new RangeError(
        `--only: unknown workload '${raw}' (expected some of ${WORKLOADS.join(', ')})`,
      );
    }
    wanted.add(id as WorkloadId);
  }
  return WORKLOADS.filter((w) => wanted.has(w));
}
