import { parseArgs } from 'node:util';
import { ACTIVATIONS } from '@ag/nn';
import {
  constraintsUsage,
  fitCurveUsage,
  parseConstraints,
  parseFitCurve,
  type ConstraintsOptions,
  type FitCurveOptions,
} from './solver-args.js';

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
export { ACTIVATIONS };
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
  /** Where to write the trained weights as safetensors (--save), or null. */
  save: string | null;
  /** Where to write the trained model as ONNX (--onnx), or null. */
  onnx: string | null;
}

export interface GraphOptions extends CommonOptions {
  expression: ExpressionName;
  dot: boolean;
}

export interface OdeOptions extends CommonOptions {
  steps: number;
}

export type Command =
  | { name: 'line'; options: LineOptions }
  | { name: 'moons'; options: MoonsOptions }
  | { name: 'graph'; options: GraphOptions }
  | { name: 'ode'; options: OdeOptions }
  | { name: 'newton'; options: CommonOptions }
  | { name: 'fit-curve'; options: FitCurveOptions }
  | { name: 'constraints'; options: ConstraintsOptions }
  | { name: 'help'; text: string };

const PROGRAM = 'ag-demo';

export const COMMON_HELP = `Common options:
  --seed <n>        seed for every random choice (default 0); same seed, same output
  --out <dir>       directory for the SVG pictures (default ./out)
  --json            print a machine-readable summary on stdout instead of the story
  --quiet           plain progress lines instead of a progress bar, no terminal chart
  -h, --help        show this help`;

export const MAIN_USAGE = `Usage: ${PROGRAM} [line|moons|classify|graph] [options]

The notebook as a program: fit y = m*x + c by hand, with Value and backward(), and
with @ag/nn; train an MLP on moons; draw a computation graph.

Commands:
  line              (default) the notebook story, then SGD on noisy y = 3x + 4
  moons, classify   an MLP 2-16-16-1 with the hinge loss, micrograd's demo
  graph             the computation graph of micrograd's README expression
  ode               a physics-informed MLP solving u' = -u, u(0) = 1 (derivatives of derivatives)
  newton            Newton's method with hessian() against gradient descent on Rosenbrock
  fit-curve         y = a(1 − e^(−bx)) fitted by Levenberg–Marquardt and by Adam
  constraints       a four-bar linkage solved as constraints by least squares

Run '${PROGRAM} <command> --help' for the options of a command.

${COMMON_HELP}`;

export const LINE_USAGE = `Usage: ${PROGRAM} line [options]

1. the notebook's own problem by its hand-derived gradient loop: y = 5x + 7 at
   x = 2 and 5 (targets 17 and 32), learning rate 0.02, 500 epochs, online and batch;
2. the same fit with Value and backward(), reaching the same numbers;
3. SGD on noisy samples from @ag/data, then the learned m and c beside the true ones.
The options shape step 3.

Options:
  --slope <m>           true slope (default 3)
  --intercept <c>       true intercept (default 4)
  --noise <sd>          scale of the noise, 0 to 100 (default 0.1)
  --noise-type <type>   gaussian: N(0, sd²) (default) | uniform: in [0, sd), as the
                        notebook, which lifts the fitted intercept by sd/2
  --samples <n>         number of noisy samples (default 200)
  --epochs <n>          passes over the samples (default 30; 300 in batch mode)
  --lr <rate>           learning rate (default 0.1 online, at most 1;
                        0.5 batch and minibatch, at most 2)
  --mode <mode>         online | batch | minibatch (default online; minibatch
                        when --batch-size is given)
  --batch-size <n>      samples per update in minibatch mode (default 10)

${COMMON_HELP}`;

export const MOONS_USAGE = `Usage: ${PROGRAM} moons [options]    (alias: classify)

Train an MLP with the hinge (max-margin) loss plus an L2 penalty, as micrograd's
demo does, print the training accuracy and draw the decision boundary.

Options:
  --dataset <name>      moons | circles | spirals | xor | blobs (default moons)
  --samples <n>         number of points (default 100)
  --noise <sd>          noise of the data set, 0 to 100 (default 0.1)
  --hidden <sizes>      hidden layer sizes, comma-separated (default 16,16)
  --activation <name>   relu | tanh | sigmoid | linear for hidden layers (default relu)
  --epochs <n>          passes over the data (default 100)
  --lr <rate>           initial learning rate, decayed as lr*(1 - 0.9*k/steps)
                        (default 1, 0.1 with --activation linear, at most 10;
                        0.05 online, one update per point, at most 1)
  --alpha <a>           L2 penalty weight, 0 to 1 (default 0.0001)
  --mode <mode>         batch | minibatch | online (default batch; minibatch
                        when --batch-size is given)
  --batch-size <n>      samples per update in minibatch mode (default 32)
  --save <file>         also write the trained weights as safetensors (F64), in
                        the layout of the equivalent torch.nn.Sequential
  --onnx <file>         also write the trained model as ONNX (float32), for
                        ONNX Runtime

${COMMON_HELP}`;

export const GRAPH_USAGE = `Usage: ${PROGRAM} graph [options]

Build a small expression, run backward() and draw its computation graph with the
data and grad on every node (rendered from toDot with WebAssembly Graphviz).

Options:
  --expression <name>   readme (micrograd's README expression, default) | neuron
                        (a tanh neuron with two inputs)
  --dot                 also print the Graphviz DOT text

${COMMON_HELP}`;

export const ODE_USAGE = `Usage: ${PROGRAM} ode [options]

Fit an MLP u(t) to the ODE u' = -u, u(0) = 1 on [0, 2] (the solution is e^-t): the
loss is the residual u'(t) + u(t), with u' taken by gradients(u, [t], { createGraph:
true }) and differentiated again by backward(). Prints and plots u against e^-t and
the largest error.

Options:
  --steps <n>           Adam steps (default 12000)

${COMMON_HELP}`;

export const NEWTON_USAGE = `Usage: ${PROGRAM} newton [options]

Minimize Rosenbrock's f(a, b) = (1 - a)^2 + 100(b - a^2)^2 from (-1.2, 1): Newton's
method with hessian() against plain gradient descent (capped at 100,000 iterations),
in iterations until |grad f| <= 1e-10.

${COMMON_HELP}`;

export const COMMON_FLAGS = {
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
  save: { type: 'string' },
  onnx: { type: 'string' },
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

/** A plain decimal number: optional sign, digits with an optional point, optional exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Reads one numeric flag; `undefined` (flag absent) gives the fallback. */
export function numberFlag(
  name: string,
  text: string | undefined,
  fallback: number,
  rule: NumberRule,
  usage: string,
): number {
  if (text === undefined) return fallback;
  const expected = describeRule(rule);
  // Number() also reads '', ' 1 ', '0b11', '0x1f' and 'Infinity'; none is what the user meant.
  const n = DECIMAL.test(text) ? Number(text) : Number.NaN;
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

export function parseFlags(args: string[], flags: Flags, usage: string): Parsed {
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

const NUMERIC_FLAGS = new Set([
  'seed',
  'slope',
  'intercept',
  'noise',
  'samples',
  'epochs',
  'lr',
  'batch-size',
  'alpha',
  'steps',
]);

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
      // parseArgs will not take a value that starts with '-' (`--slope -Infinity`, or a
      // forgotten value as in `--slope --intercept 3`); say what to write instead.
      if (/argument is ambiguous/.test(message) && option !== undefined) {
        return NUMERIC_FLAGS.has(option.slice(2))
          ? `${option}: expected a number; write negative values as ${option}=-3`
          : `${option}: a value is required; write a value that starts with '-' as ${option}=-value`;
      }
      return message.split('\n')[0] ?? message;
    default:
      return message.split('\n')[0] ?? message;
  }
}

export function str(values: Parsed, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

/** A file to write, or null when the flag is absent. */
function fileFlag(name: string, value: string | undefined, usage: string): string | null {
  if (value === undefined) return null;
  if (value === '') throw new UsageError(`--${name}: expected a file name, received ''`, usage);
  return value;
}

export function common(values: Parsed, usage: string): CommonOptions {
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
    case 'ode':
      return parseOde(args);
    case 'newton':
      return parseNewton(args);
    case 'fit-curve':
    case 'constraints': {
      const parsed = name === 'fit-curve' ? parseFitCurve(args) : parseConstraints(args);
      if ('help' in parsed) return { name: 'help', text: parsed.help };
      return name === 'fit-curve'
        ? { name, options: parsed.options as FitCurveOptions }
        : { name, options: parsed.options as ConstraintsOptions };
    }
    case 'help':
      return { name: 'help', text: helpFor(args) };
    default:
      throw new UsageError(
        `unknown command '${name}' (expected line, moons, classify, graph, ode, newton, fit-curve or constraints)`,
        MAIN_USAGE,
      );
  }
}

function helpFor(args: readonly string[]): string {
  const [command, extra] = args;
  if (extra !== undefined) throw new UsageError(`help: unexpected argument '${extra}'`, MAIN_USAGE);
  switch (command) {
    case undefined:
      return MAIN_USAGE;
    case 'line':
      return LINE_USAGE;
    case 'moons':
    case 'classify':
      return MOONS_USAGE;
    case 'graph':
      return GRAPH_USAGE;
    case 'ode':
      return ODE_USAGE;
    case 'newton':
      return NEWTON_USAGE;
    case 'fit-curve':
      return fitCurveUsage();
    case 'constraints':
      return constraintsUsage();
    default:
      throw new UsageError(
        `help: unknown command '${command}' (expected line, moons, classify, graph, ode, newton, fit-curve or constraints)`,
        MAIN_USAGE,
      );
  }
}

/** Defaults and bounds of the training flags, which differ by command and mode. */
interface TrainingRules {
  mode: TrainMode;
  samples: { fallback: number; min: number };
  batchSize: number;
  epochs: (mode: TrainMode) => number;
  lr: (mode: TrainMode) => { fallback: number; max: number };
}

type TrainingFlags = Pick<
  LineOptions,
  'mode' | 'samples' | 'batchSize' | 'epochs' | 'lr' | 'noise'
>;

/**
 * The flags `line` and `moons` share. --batch-size alone means mini-batches; with
 * --mode online or batch it would be ignored, so it is refused instead.
 */
function trainingFlags(v: Parsed, rules: TrainingRules, u: string): TrainingFlags {
  const modeText = str(v, 'mode');
  const batchText = str(v, 'batch-size');
  const mode = choiceFlag<TrainMode>(
    'mode',
    modeText ?? (batchText === undefined ? undefined : 'minibatch'),
    rules.mode,
    ['online', 'batch', 'minibatch'],
    u,
  );
  if (batchText !== undefined && mode !== 'minibatch') {
    throw new UsageError(
      `--batch-size: applies to --mode minibatch only, received --mode ${mode}`,
      u,
    );
  }
  const samples = numberFlag(
    'samples',
    str(v, 'samples'),
    rules.samples.fallback,
    { integer: true, min: rules.samples.min, max: 100000 },
    u,
  );
  const batchSize = numberFlag(
    'batch-size',
    batchText,
    Math.min(rules.batchSize, samples),
    { integer: true, min: 1 },
    u,
  );
  if (batchSize > samples) {
    throw new UsageError(
      `--batch-size: expected at most --samples (${samples}), received '${batchSize}'`,
      u,
    );
  }
  const lr = rules.lr(mode);
  return {
    mode,
    samples,
    batchSize,
    epochs: numberFlag(
      'epochs',
      str(v, 'epochs'),
      rules.epochs(mode),
      { integer: true, min: 1, max: 1000000 },
      u,
    ),
    lr: numberFlag('lr', str(v, 'lr'), lr.fallback, { min: 0, exclusiveMin: true, max: lr.max }, u),
    noise: numberFlag('noise', str(v, 'noise'), 0.1, { min: 0, max: 100 }, u),
  };
}

function parseLine(args: string[]): Command {
  const u = LINE_USAGE;
  const v = parseFlags(args, LINE_FLAGS, u);
  if (v.help === true) return { name: 'help', text: u };
  const training = trainingFlags(
    v,
    {
      mode: 'online',
      samples: { fallback: 200, min: 2 },
      batchSize: 10,
      epochs: (mode) => (mode === 'batch' ? 300 : 30),
      // Past these rates the fit of x in [0, 1) diverges for any line.
      lr: (mode) => (mode === 'online' ? { fallback: 0.1, max: 1 } : { fallback: 0.5, max: 2 }),
    },
    u,
  );
  return {
    name: 'line',
    options: {
      ...common(v, u),
      ...training,
      slope: numberFlag('slope', str(v, 'slope'), 3, { min: -1000, max: 1000 }, u),
      intercept: numberFlag('intercept', str(v, 'intercept'), 4, { min: -1000, max: 1000 }, u),
      noiseType: choiceFlag(
        'noise-type',
        str(v, 'noise-type'),
        'gaussian',
        ['gaussian', 'uniform'],
        u,
      ),
    },
  };
}

function parseMoons(args: string[]): Command {
  const u = MOONS_USAGE;
  const v = parseFlags(args, MOONS_FLAGS, u);
  if (v.help === true) return { name: 'help', text: u };
  const activation = choiceFlag('activation', str(v, 'activation'), 'relu', ACTIVATIONS, u);
  const training = trainingFlags(
    v,
    {
      mode: 'batch',
      samples: { fallback: 100, min: 4 },
      batchSize: 32,
      epochs: () => 100,
      // Without a squashing activation the network is linear and its first steps at lr 1
      // overflow; 0.1 trains it as far as a line can separate the moons.
      lr: (mode) =>
        mode === 'online'
          ? { fallback: 0.05, max: 1 }
          : { fallback: activation === 'linear' ? 0.1 : 1, max: 10 },
    },
    u,
  );
  return {
    name: 'moons',
    options: {
      ...common(v, u),
      ...training,
      dataset: choiceFlag('dataset', str(v, 'dataset'), 'moons', DATASETS, u),
      hidden: hiddenFlag(str(v, 'hidden'), u),
      activation,
      alpha: numberFlag('alpha', str(v, 'alpha'), 1e-4, { min: 0, max: 1 }, u),
      save: fileFlag('save', str(v, 'save'), u),
      onnx: fileFlag('onnx', str(v, 'onnx'), u),
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

function parseOde(args: string[]): Command {
  const values = parseFlags(args, { ...COMMON_FLAGS, steps: { type: 'string' } }, ODE_USAGE);
  if (values.help === true) return { name: 'help', text: ODE_USAGE };
  return {
    name: 'ode',
    options: {
      ...common(values, ODE_USAGE),
      steps: numberFlag(
        'steps',
        str(values, 'steps'),
        12000,
        { integer: true, min: 1, max: 1e6 },
        ODE_USAGE,
      ),
    },
  };
}

function parseNewton(args: string[]): Command {
  const values = parseFlags(args, COMMON_FLAGS, NEWTON_USAGE);
  if (values.help === true) return { name: 'help', text: NEWTON_USAGE };
  return { name: 'newton', options: common(values, NEWTON_USAGE) };
}
