import { parseArgs } from 'node:util';

/** A bad flag or value: the CLI prints the one-line message and the usage, then exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The usage text of the command the user was running. */
    readonly usage: string,
  ) {
    super(message);
  }
}

export type TrainMode = 'online' | 'batch' | 'minibatch';
export const DATASETS = ['moons', 'circles', 'spirals', 'xor', 'blobs'] as const;
export type DatasetName = (typeof DATASETS)[number];
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];
export const EXPRESSIONS = ['readme', 'neuron'] as const;
export type ExpressionName = (typeof EXPRESSIONS)[number];

/** Flags every subcommand understands. */
export interface CommonOptions {
  json: boolean;
  quiet: boolean;
  out: string;
  seed: number;
}

export interface LineOptions extends CommonOptions {
  slope: number;
  intercept: number;
  noise: number;
  noiseType: 'gaussian' | 'uniform';
  samples: number;
  epochs: number;
  lr: number;
  mode: TrainMode;
  batchSize: number;
}

export interface MoonsOptions extends CommonOptions {
  dataset: DatasetName;
  samples: number;
  noise: number;
  hidden: number[];
  activation: ActivationName;
  epochs: number;
  lr: number;
  alpha: number;
  mode: TrainMode;
  batchSize: number;
}

export interface GraphOptions extends CommonOptions {
  expression: ExpressionName;
  dot: boolean;
}

export type Command =
  | { name: 'line'; options: LineOptions }
  | { name: 'moons'; options: MoonsOptions }
  | { name: 'graph'; options: GraphOptions }
  | { name: 'help'; text: string };

const PROGRAM = 'ag-demo';

const COMMON_HELP = `Common options:
  --seed <n>        seed for every random choice (default 0); same seed, same output
  --out <dir>       directory for the SVG pictures (default ./out)
  --json            print a machine-readable summary on stdout instead of the story
  --quiet           plain progress lines instead of a progress bar, no terminal chart
  -h, --help        show this help`;

export const MAIN_USAGE = `Usage: ${PROGRAM} [line|moons|classify|graph] [options]

The notebook as a program: fit y = m*x + c by hand, with Value and backward(), and
with @ag/nn; train an MLP on moons; draw a computation graph.

Commands:
  line              (default) the notebook story on y = 3x + 4
  moons, classify   an MLP 2-16-16-1 with the hinge loss, micrograd's demo
  graph             the computation graph of micrograd's README expression

Run '${PROGRAM} <command> --help' for the options of a command.

${COMMON_HELP}`;

export const LINE_USAGE = `Usage: ${PROGRAM} line [options]

1. the notebook's hand-derived gradient loop on two samples (x = 2 and 5,
   learning rate 0.02, 500 epochs), online and batch;
2. the same fit with Value and backward(), reaching the same numbers;
3. SGD on noisy samples from @ag/data, then the learned m and c beside the true ones.
--slope and --intercept set the true line for all three steps; the other options shape step 3.

Options:
  --slope <m>           true slope (default 3)
  --intercept <c>       true intercept (default 4)
  --noise <sd>          scale of the noise (default 0.1)
  --noise-type <type>   gaussian: N(0, sd²) (default) | uniform: in [0, sd), as the
                        notebook, which lifts the fitted intercept by sd/2
  --samples <n>         number of noisy samples (default 200)
  --epochs <n>          passes over the samples (default 30; 300 in batch mode)
  --lr <rate>           learning rate (default 0.1 online, 0.5 batch and minibatch)
  --mode <mode>         online | batch | minibatch (default online)
  --batch-size <n>      samples per update in minibatch mode (default 10)

${COMMON_HELP}`;

export const MOONS_USAGE = `Usage: ${PROGRAM} moons [options]    (alias: classify)

Train an MLP with the hinge (max-margin) loss plus an L2 penalty, as micrograd's
demo does, print the training accuracy and draw the decision boundary.

Options:
  --dataset <name>      moons | circles | spirals | xor | blobs (default moons)
  --samples <n>         number of points (default 100)
  --noise <sd>          noise of the data set (default 0.1)
  --hidden <sizes>      hidden layer sizes, comma-separated (default 16,16)
  --activation <name>   relu | tanh | sigmoid | linear for hidden layers (default relu)
  --epochs <n>          passes over the data (default 100)
  --lr <rate>           initial learning rate, decayed as lr*(1 - 0.9*k/steps)
                        (default 1; 0.05 online, one update per point)
  --alpha <a>           L2 penalty weight (default 0.0001)
  --mode <mode>         batch | minibatch | online (default batch)
  --batch-size <n>      samples per update in minibatch mode (default 32)

${COMMON_HELP}`;

export const GRAPH_USAGE = `Usage: ${PROGRAM} graph [options]

Build a small expression, run backward() and draw its computation graph with the
data and grad on every node (rendered from toDot with WebAssembly Graphviz).

Options:
  --expression <name>   readme (micrograd's README expression, default) | neuron
                        (a tanh neuron with two inputs)
  --dot                 also print the Graphviz DOT text

${COMMON_HELP}`;

const COMMON_FLAGS = {
  seed: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const LINE_FLAGS = {
  ...COMMON_FLAGS,
  slope: { type: 'string' },
  intercept: { type: 'string' },
  noise: { type: 'string' },
  'noise-type': { type: 'string' },
  samples: { type: 'string' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
  mode: { type: 'string' },
  'batch-size': { type: 'string' },
} as const;

const MOONS_FLAGS = {
  ...COMMON_FLAGS,
  dataset: { type: 'string' },
  samples: { type: 'string' },
  noise: { type: 'string' },
  hidden: { type: 'string' },
  activation: { type: 'string' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
  alpha: { type: 'string' },
  mode: { type: 'string' },
  'batch-size': { type: 'string' },
} as const;

const GRAPH_FLAGS = {
  ...COMMON_FLAGS,
  expression: { type: 'string' },
  dot: { type: 'boolean' },
} as const;

interface NumberRule {
  integer?: boolean;
  min?: number;
  /** When true, the value must be strictly greater than `min`. */
  exclusiveMin?: boolean;
  max?: number;
}

/** Reads one numeric flag; `undefined` (flag absent) gives the fallback. */
function numberFlag(
  name: string,
  text: string | undefined,
  fallback: number,
  rule: NumberRule,
  usage: string,
): number {
  if (text === undefined) return fallback;
  const expected = describeRule(rule);
  // Number('') is 0 and Number(' 1 ') is 1; neither is what the user meant.
  const trimmed = text.trim();
  const n = trimmed === '' || trimmed !== text ? Number.NaN : Number(text);
  const bad =
    !Number.isFinite(n) ||
    (rule.integer === true && !Number.isInteger(n)) ||
    (rule.min !== undefined && (rule.exclusiveMin === true ? n <= rule.min : n < rule.min)) ||
    (rule.max !== undefined && n > rule.max);
  if (bad) throw new UsageError(`--${name}: expected ${expected}, received '${text}'`, usage);
  return n;
}

function describeRule(rule: NumberRule): string {
  const kind = rule.integer === true ? 'an integer' : 'a number';
  if (rule.min === 0 && rule.exclusiveMin === true) {
    return `a positive ${kind.replace(/^an? /, '')}${rule.max === undefined ? '' : ` up to ${rule.max}`}`;
  }
  if (rule.min !== undefined && rule.max !== undefined)
    return `${kind} from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined)
    return `${kind} ${rule.exclusiveMin === true ? '>' : '>='} ${rule.min}`;
  return `a finite ${kind.replace(/^an? /, '')}`;
}

function choiceFlag<T extends string>(
  name: string,
  text: string | undefined,
  fallback: T,
  choices: readonly T[],
  usage: string,
): T {
  if (text === undefined) return fallback;
  const found = choices.find((c) => c === text);
  if (found === undefined) {
    throw new UsageError(
      `--${name}: expected one of ${choices.join(', ')}, received '${text}'`,
      usage,
    );
  }
  return found;
}

function hiddenFlag(text: string | undefined, usage: string): number[] {
  if (text === undefined) return [16, 16];
  const parts = text.split(',');
  const sizes = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
  if (text === '' || sizes.some((s) => !Number.isInteger(s) || s < 1 || s > 1024)) {
    throw new UsageError(
      `--hidden: expected comma-separated layer sizes from 1 to 1024 such as 16,16, received '${text}'`,
      usage,
    );
  }
  return sizes;
}

type Flags = Record<string, { type: 'string' | 'boolean'; short?: string }>;
type Parsed = Record<string, string | boolean | undefined>;

function parseFlags(args: string[], flags: Flags, usage: string): Parsed {
  try {
    const { values } = parseArgs({
      args: joinNegativeValues(args, flags),
      options: flags,
      strict: true,
      allowPositionals: false,
    });
    return values;
  } catch (error) {
    throw new UsageError(parseErrorMessage(error), usage);
  }
}

/**
 * parseArgs refuses `--slope -2` as ambiguous (the value looks like a flag); a negative
 * number after a flag that takes a value can only be that value, so pass it as `--slope=-2`.
 */
function joinNegativeValues(args: readonly string[], flags: Flags): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (
      name !== undefined &&
      flags[name]?.type === 'string' &&
      next !== undefined &&
      /^-(\d|\.\d)/.test(next)
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Node's parseArgs messages are long and sometimes span lines; say the same in one short line. */
function parseErrorMessage(error: unknown): string {
  const err = error as { code?: string; message?: string };
  const message = String(err.message ?? error);
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? message}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${/'([^']*)'/.exec(message)?.[1] ?? ''}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(message)) return `${option ?? 'option'}: a value is required`;
      if (/does not take an argument/.test(message)) return `${option ?? 'option'} takes no value`;
      return message.split('\n')[0] ?? message;
    default:
      return message.split('\n')[0] ?? message;
  }
}

function str(values: Parsed, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

function common(values: Parsed, usage: string): CommonOptions {
  const out = str(values, 'out') ?? './out';
  if (out === '') throw new UsageError(`--out: expected a directory, received ''`, usage);
  return {
    json: values.json === true,
    quiet: values.quiet === true,
    out,
    seed: numberFlag(
      'seed',
      str(values, 'seed'),
      0,
      { integer: true, min: 0, max: 2 ** 32 - 1 },
      usage,
    ),
  };
}

/**
 * Turns the command line (without `node` and the script) into a command with checked options.
 * Throws a UsageError, carrying the right usage text, for anything it cannot accept.
 *
 * @example
 * parseCommand(['moons', '--seed', '3']); // { name: 'moons', options: { seed: 3, hidden: [16, 16], ... } }
 * parseCommand(['--help']);               // { name: 'help', text: MAIN_USAGE }
 */
export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  let name: string;
  let args: string[];
  if (first === undefined || first.startsWith('-')) {
    // No subcommand: the default story. A bare --help explains the whole program.
    if (first === '--help' || first === '-h') return { name: 'help', text: MAIN_USAGE };
    name = 'line';
    args = [...argv];
  } else {
    name = first;
    args = rest;
  }
  switch (name) {
    case 'line':
      return parseLine(args);
    case 'moons':
    case 'classify':
      return parseMoons(args);
    case 'graph':
      return parseGraph(args);
    case 'help':
      return { name: 'help', text: helpFor(args[0]) };
    default:
      throw new UsageError(
        `unknown command '${name}' (expected line, moons, classify or graph)`,
        MAIN_USAGE,
      );
  }
}

function helpFor(command: string | undefined): string {
  switch (command) {
    case 'line':
      return LINE_USAGE;
    case 'moons':
    case 'classify':
      return MOONS_USAGE;
    case 'graph':
      return GRAPH_USAGE;
    default:
      return MAIN_USAGE;
  }
}

function parseLine(args: string[]): Command {
  const u = LINE_USAGE;
  const v = parseFlags(args, LINE_FLAGS, u);
  if (v.help === true) return { name: 'help', text: u };
  const mode = choiceFlag<TrainMode>(
    'mode',
    str(v, 'mode'),
    'online',
    ['online', 'batch', 'minibatch'],
    u,
  );
  const samples = numberFlag(
    'samples',
    str(v, 'samples'),
    200,
    { integer: true, min: 2, max: 100000 },
    u,
  );
  const batchSize = numberFlag(
    'batch-size',
    str(v, 'batch-size'),
    Math.min(10, samples),
    { integer: true, min: 1 },
    u,
  );
  if (batchSize > samples) {
    throw new UsageError(
      `--batch-size: expected at most --samples (${samples}), received '${batchSize}'`,
      u,
    );
  }
  return {
    name: 'line',
    options: {
      ...common(v, u),
      slope: numberFlag('slope', str(v, 'slope'), 3, { min: -1000, max: 1000 }, u),
      intercept: numberFlag('intercept', str(v, 'intercept'), 4, { min: -1000, max: 1000 }, u),
      noise: numberFlag('noise', str(v, 'noise'), 0.1, { min: 0 }, u),
      noiseType: choiceFlag(
        'noise-type',
        str(v, 'noise-type'),
        'gaussian',
        ['gaussian', 'uniform'],
        u,
      ),
      samples,
      epochs: numberFlag(
        'epochs',
        str(v, 'epochs'),
        mode === 'batch' ? 300 : 30,
        { integer: true, min: 1, max: 1000000 },
        u,
      ),
      lr: numberFlag(
        'lr',
        str(v, 'lr'),
        mode === 'online' ? 0.1 : 0.5,
        { min: 0, exclusiveMin: true, max: 10 },
        u,
      ),
      mode,
      batchSize,
    },
  };
}

function parseMoons(args: string[]): Command {
  const u = MOONS_USAGE;
  const v = parseFlags(args, MOONS_FLAGS, u);
  if (v.help === true) return { name: 'help', text: u };
  const mode = choiceFlag<TrainMode>(
    'mode',
    str(v, 'mode'),
    'batch',
    ['online', 'batch', 'minibatch'],
    u,
  );
  const samples = numberFlag(
    'samples',
    str(v, 'samples'),
    100,
    { integer: true, min: 4, max: 100000 },
    u,
  );
  const batchSize = numberFlag(
    'batch-size',
    str(v, 'batch-size'),
    Math.min(32, samples),
    { integer: true, min: 1 },
    u,
  );
  if (batchSize > samples) {
    throw new UsageError(
      `--batch-size: expected at most --samples (${samples}), received '${batchSize}'`,
      u,
    );
  }
  return {
    name: 'moons',
    options: {
      ...common(v, u),
      dataset: choiceFlag('dataset', str(v, 'dataset'), 'moons', DATASETS, u),
      samples,
      noise: numberFlag('noise', str(v, 'noise'), 0.1, { min: 0 }, u),
      hidden: hiddenFlag(str(v, 'hidden'), u),
      activation: choiceFlag('activation', str(v, 'activation'), 'relu', ACTIVATIONS, u),
      epochs: numberFlag(
        'epochs',
        str(v, 'epochs'),
        100,
        { integer: true, min: 1, max: 1000000 },
        u,
      ),
      lr: numberFlag(
        'lr',
        str(v, 'lr'),
        mode === 'online' ? 0.05 : 1,
        { min: 0, exclusiveMin: true, max: 100 },
        u,
      ),
      alpha: numberFlag('alpha', str(v, 'alpha'), 1e-4, { min: 0 }, u),
      mode,
      batchSize,
    },
  };
}

function parseGraph(args: string[]): Command {
  const u = GRAPH_USAGE;
  const v = parseFlags(args, GRAPH_FLAGS, u);
  if (v.help === true) return { name: 'help', text: u };
  return {
    name: 'graph',
    options: {
      ...common(v, u),
      expression: choiceFlag('expression', str(v, 'expression'), 'readme', EXPRESSIONS, u),
      dot: v.dot === true,
    },
  };
}
