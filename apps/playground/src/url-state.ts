import type { FeatureName, PlaygroundState } from './playground-state.js';
import {
  ACTIVATIONS,
  CLASSIFICATION_LOSSES,
  DATASETS,
  DEFAULT_STATE,
  LIMITS,
  LOSSES,
  MODES,
  OPTIMIZERS,
  REGRESSION_LOSSES,
  VIEWS,
  FEATURES,
  REGULARIZATIONS,
  cloneState,
  isRegression,
} from './playground-state.js';

/** Query-string keys, in the order they are written. */
const KEYS = {
  dataset: 'data',
  samples: 'n',
  noise: 'noise',
  seed: 'seed',
  testRatio: 'test',
  m: 'm',
  c: 'c',
  hidden: 'hidden',
  activation: 'act',
  loss: 'loss',
  optimizer: 'opt',
  mode: 'mode',
  batchSize: 'batch',
  learningRate: 'lr',
  regularization: 'reg',
  l2: 'l2',
  features: 'feat',
  showTest: 'showtest',
  discretize: 'disc',
  view: 'view',
  expression: 'expr',
} as const satisfies Record<keyof PlaygroundState, string>;

/**
 * Write a state as a query string (without the `?`). Every field is written, so a link keeps
 * reproducing its run even if the defaults change later. Numbers use `String(x)`, the shortest
 * text that reads back as the same double.
 * @example
 *   encodeState(DEFAULT_STATE); // 'data=moons&n=200&noise=0.1&seed=1&...'
 *   decodeState(encodeState(s)).state; // deep-equals s
 */
export function encodeState(state: Readonly<PlaygroundState>): string {
  const params = new URLSearchParams();
  params.set(KEYS.dataset, state.dataset);
  params.set(KEYS.samples, String(state.samples));
  params.set(KEYS.noise, String(state.noise));
  params.set(KEYS.seed, String(state.seed));
  params.set(KEYS.testRatio, String(state.testRatio));
  params.set(KEYS.m, String(state.m));
  params.set(KEYS.c, String(state.c));
  params.set(KEYS.hidden, state.hidden.join('-'));
  params.set(KEYS.activation, state.activation);
  params.set(KEYS.loss, state.loss);
  params.set(KEYS.optimizer, state.optimizer);
  params.set(KEYS.mode, state.mode);
  params.set(KEYS.batchSize, String(state.batchSize));
  params.set(KEYS.learningRate, String(state.learningRate));
  params.set(KEYS.regularization, state.regularization);
  params.set(KEYS.l2, String(state.l2));
  params.set(KEYS.features, state.features.join('-'));
  params.set(KEYS.showTest, state.showTest ? '1' : '0');
  params.set(KEYS.discretize, state.discretize ? '1' : '0');
  params.set(KEYS.view, state.view);
  params.set(KEYS.expression, state.expression);
  return params.toString();
}

export interface DecodedState {
  state: PlaygroundState;
  /** One message per value that was present but unusable and was replaced by its default. */
  problems: string[];
}

/**
 * Read a state from a query string (with or without the leading `?`). A missing key takes its
 * default; a malformed or out-of-range value takes its default and is reported in `problems`.
 * @example
 *   decodeState('?data=xor&lr=0.1').state.learningRate; // 0.1
 *   decodeState('n=-3').problems; // ['n: expected an integer in [10, 1000], received "-3"']
 */
export function decodeState(query: string): DecodedState {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const state = cloneState(DEFAULT_STATE);
  const problems: string[] = [];

  const read = <K extends keyof PlaygroundState>(
    field: K,
    parse: Parse<PlaygroundState[K]>,
  ): void => {
    const raw = params.get(KEYS[field]);
    if (raw === null) return;
    const parsed = parse(raw);
    if (parsed.ok) state[field] = parsed.value;
    else problems.push(`${KEYS[field]}: ${parsed.expected}, received ${quote(raw)}`);
  };

  read('dataset', oneOf(DATASETS));
  read('samples', integer(LIMITS.samples.min, LIMITS.samples.max));
  read('noise', real(LIMITS.noise.min, LIMITS.noise.max));
  read('seed', integer(LIMITS.seed.min, LIMITS.seed.max));
  read('testRatio', real(LIMITS.testRatio.min, LIMITS.testRatio.max));
  read('m', real(LIMITS.coefficient.min, LIMITS.coefficient.max));
  read('c', real(LIMITS.coefficient.min, LIMITS.coefficient.max));
  read('hidden', parseHidden);
  read('activation', oneOf(ACTIVATIONS));
  read('loss', oneOf(LOSSES));
  read('optimizer', oneOf(OPTIMIZERS));
  read('mode', oneOf(MODES));
  read('batchSize', integer(LIMITS.batchSize.min, LIMITS.batchSize.max));
  read('learningRate', real(LIMITS.learningRate.min, LIMITS.learningRate.max));
  read('regularization', oneOf(REGULARIZATIONS));
  read('l2', real(LIMITS.l2.min, LIMITS.l2.max));
  read('features', parseFeatures);
  read('showTest', flag);
  read('discretize', flag);
  read('view', oneOf(VIEWS));

  // The expression is free text; only its length is bounded (it is parsed when shown).
  const expression = params.get(KEYS.expression);
  if (expression !== null) {
    if (expression.length > LIMITS.expressionLength.max) {
      problems.push(
        `${KEYS.expression}: expected at most ${LIMITS.expressionLength.max} characters, received ${expression.length}`,
      );
    } else {
      state.expression = expression;
    }
  }

  const allowed = isRegression(state.dataset) ? REGRESSION_LOSSES : CLASSIFICATION_LOSSES;
  if (!allowed.includes(state.loss)) {
    const replacement = allowed[0] ?? DEFAULT_STATE.loss;
    problems.push(
      `${KEYS.loss}: ${state.loss} does not fit the ${state.dataset} data set (expected one of ${allowed.join(', ')}); using ${replacement}`,
    );
    state.loss = replacement;
  }
  return { state, problems };
}

/** Longest part of a rejected value that a problem message repeats. */
const QUOTE_LENGTH = 80;

/**
 * A rejected value as a problem message shows it: in full when short, else its first
 * characters and its length, so a hostile link cannot fill the page with its own text.
 * @example
 *   quote('-3'); // '"-3"'
 *   quote('1-'.repeat(5000)); // '"1-1-…" (10000 characters)'
 */
export function quote(raw: string): string {
  if (raw.length <= QUOTE_LENGTH) return JSON.stringify(raw);
  return `${JSON.stringify(raw.slice(0, QUOTE_LENGTH))}… (${raw.length} characters)`;
}

/** Reads one field's text: its value, or what was expected instead. */
export type Parse<T> = (raw: string) => { ok: true; value: T } | { ok: false; expected: string };

function oneOf<T extends string>(options: readonly T[]): Parse<T> {
  return (raw) =>
    (options as readonly string[]).includes(raw)
      ? { ok: true, value: raw as T }
      : { ok: false, expected: `expected one of ${options.join(', ')}` };
}

/**
 * A finite number in [min, max], as a link or the form gives it (blank is not 0).
 * @example
 *   real(0, 2)('0.5'); // { ok: true, value: 0.5 }
 *   real(0, 2)('');    // { ok: false, expected: 'expected a number in [0, 2]' }
 */
export function real(min: number, max: number): Parse<number> {
  return (raw) => {
    const x = raw.trim() === '' ? NaN : Number(raw);
    return Number.isFinite(x) && x >= min && x <= max
      ? { ok: true, value: x }
      : { ok: false, expected: `expected a number in [${min}, ${max}]` };
  };
}

/**
 * An integer in [min, max], as a link or the form gives it (blank is not 0).
 * @example
 *   integer(1, 10)('4');   // { ok: true, value: 4 }
 *   integer(1, 10)('4.5'); // { ok: false, expected: 'expected an integer in [1, 10]' }
 */
export function integer(min: number, max: number): Parse<number> {
  return (raw) => {
    const x = raw.trim() === '' ? NaN : Number(raw);
    return Number.isInteger(x) && x >= min && x <= max
      ? { ok: true, value: x }
      : { ok: false, expected: `expected an integer in [${min}, ${max}]` };
  };
}

const flag: Parse<boolean> = (raw) =>
  raw === '1' || raw === '0'
    ? { ok: true, value: raw === '1' }
    : { ok: false, expected: 'expected 1 or 0' };

/** Feature names joined by '-', each once, kept in the order of FEATURES; at least one. */
const parseFeatures: Parse<FeatureName[]> = (raw) => {
  const parts = raw.split('-');
  const known = parts.every((p) => (FEATURES as readonly string[]).includes(p));
  const chosen = FEATURES.filter((f) => parts.includes(f));
  return known && chosen.length === parts.length && chosen.length > 0
    ? { ok: true, value: chosen }
    : { ok: false, expected: `expected some of ${FEATURES.join(', ')} joined by '-'` };
};

const parseHidden: Parse<number[]> = (raw) => {
  if (raw === '') return { ok: true, value: [] };
  const parts = raw.split('-');
  const widths = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  const ok =
    parts.length <= LIMITS.hiddenLayers.max &&
    widths.every((w) => Number.isInteger(w) && w >= LIMITS.width.min && w <= LIMITS.width.max);
  return ok
    ? { ok: true, value: widths }
    : {
        ok: false,
        expected: `expected up to ${LIMITS.hiddenLayers.max} widths in [${LIMITS.width.min}, ${LIMITS.width.max}] joined by '-'`,
      };
};
