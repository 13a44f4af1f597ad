import type { PlaygroundState } from './playground-state.js';
import {
  ACTIVATIONS,
  CLASSIFICATION_LOSSES,
  DATASETS,
  LIMITS,
  MODES,
  OPTIMIZERS,
  REGRESSION_LOSSES,
  REGULARIZATIONS,
  DEFAULT_NOISE,
  cloneState,
  isRegression,
} from './playground-state.js';
import { pageElement } from './page-element.js';
import { integer, real, type Parse } from './url-state.js';

/** The form fields, found by id in index.html. */
interface Fields {
  dataset: HTMLSelectElement;
  m: HTMLInputElement;
  c: HTMLInputElement;
  samples: HTMLInputElement;
  noise: HTMLInputElement;
  testRatio: HTMLInputElement;
  seed: HTMLInputElement;
  hidden: HTMLInputElement;
  activation: HTMLSelectElement;
  loss: HTMLSelectElement;
  optimizer: HTMLSelectElement;
  mode: HTMLSelectElement;
  batchSize: HTMLInputElement;
  learningRate: HTMLInputElement;
  l2: HTMLInputElement;
  problem: HTMLSelectElement;
  regularization: HTMLSelectElement;
  showTest: HTMLInputElement;
  discretize: HTMLInputElement;
}

export function findFields(): Fields {
  return {
    dataset: pageElement('dataset', HTMLSelectElement),
    m: pageElement('m', HTMLInputElement),
    c: pageElement('c', HTMLInputElement),
    samples: pageElement('samples', HTMLInputElement),
    noise: pageElement('noise', HTMLInputElement),
    testRatio: pageElement('testRatio', HTMLInputElement),
    seed: pageElement('seed', HTMLInputElement),
    hidden: pageElement('hidden', HTMLInputElement),
    activation: pageElement('activation', HTMLSelectElement),
    loss: pageElement('loss', HTMLSelectElement),
    optimizer: pageElement('optimizer', HTMLSelectElement),
    mode: pageElement('mode', HTMLSelectElement),
    batchSize: pageElement('batchSize', HTMLInputElement),
    learningRate: pageElement('learningRate', HTMLInputElement),
    l2: pageElement('l2', HTMLInputElement),
    problem: pageElement('problem', HTMLSelectElement),
    regularization: pageElement('regularization', HTMLSelectElement),
    showTest: pageElement('showTest', HTMLInputElement),
    discretize: pageElement('discretize', HTMLInputElement),
  };
}

/** Show a state in the form, and hide what does not apply to it. */
export function writeControls(f: Fields, state: Readonly<PlaygroundState>): void {
  f.dataset.value = state.dataset;
  f.m.value = String(state.m);
  f.c.value = String(state.c);
  f.samples.value = String(state.samples);
  f.noise.value = String(state.noise);
  f.testRatio.value = String(state.testRatio);
  f.seed.value = String(state.seed);
  f.hidden.value = state.hidden.join(' ');
  f.activation.value = state.activation;
  const allowed = isRegression(state.dataset) ? REGRESSION_LOSSES : CLASSIFICATION_LOSSES;
  for (const option of f.loss.options) option.disabled = !allowed.includes(option.value as never);
  f.loss.value = state.loss;
  f.optimizer.value = state.optimizer;
  f.mode.value = state.mode;
  f.batchSize.value = String(state.batchSize);
  f.learningRate.value = String(state.learningRate);
  f.l2.value = String(state.l2);
  f.regularization.value = state.regularization;
  f.showTest.checked = state.showTest;
  f.discretize.checked = state.discretize;
  // The slider reaches any batch size a link may hold.
  f.batchSize.max = String(Math.max(256, state.batchSize));
  const problem = isRegression(state.dataset) ? 'regression' : 'classification';
  f.problem.value = problem;
  for (const option of f.dataset.options) {
    const fits = option.classList.contains(`for-${problem}`);
    option.hidden = !fits;
    option.disabled = !fits;
  }
  for (const input of Object.values(f) as HTMLElement[]) input.classList.remove('invalid');
  showOutputs(f);
  const form = f.dataset.form;
  if (form !== null) {
    form.classList.toggle('is-regression', isRegression(state.dataset));
    form.classList.toggle('is-classification', !isRegression(state.dataset));
    form.classList.toggle('not-minibatch', state.mode !== 'minibatch');
    form.classList.toggle('not-line', state.dataset !== 'line');
  }
  // The stats panel hides accuracy for regression through the same class on <body>.
  document.body.classList.toggle('is-regression', isRegression(state.dataset));
  document.body.classList.toggle('is-classification', !isRegression(state.dataset));
}

/** Print the sliders' values beside them. */
export function showOutputs(f: Fields): void {
  const noise = document.getElementById('noise-out');
  const test = document.getElementById('test-out');
  if (noise !== null) noise.textContent = Number(f.noise.value).toFixed(2);
  if (test !== null) test.textContent = `${Math.round(Number(f.testRatio.value) * 100)}%`;
  const batch = document.getElementById('batch-out');
  if (batch !== null) batch.textContent = f.batchSize.value;
}

/** Read widths such as "16 16", "16,16" or "16-16"; `undefined` if malformed. */
export function parseWidths(text: string): number[] | undefined {
  const parts = text
    .trim()
    .split(/[\s,;-]+/)
    .filter((p) => p !== '');
  if (parts.length > LIMITS.hiddenLayers.max) return undefined;
  const widths = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  return widths.every((w) => w >= LIMITS.width.min && w <= LIMITS.width.max) ? widths : undefined;
}

/**
 * Read the form into a new state, starting from `current`. A field whose text is not a
 * valid value is marked invalid and keeps its current value, so a half-typed number never
 * starts a run.
 */
export function readControls(f: Fields, current: Readonly<PlaygroundState>): PlaygroundState {
  const next: PlaygroundState = cloneState(current);
  // The form takes a number exactly when a link would (the same parsers as decodeState).
  const number = (input: HTMLInputElement, parse: Parse<number>): number | undefined => {
    const parsed = parse(input.value);
    input.classList.toggle('invalid', !parsed.ok);
    return parsed.ok ? parsed.value : undefined;
  };
  const pick = <T extends string>(
    select: HTMLSelectElement,
    options: readonly T[],
  ): T | undefined =>
    (options as readonly string[]).includes(select.value) ? (select.value as T) : undefined;

  next.dataset = pick(f.dataset, DATASETS) ?? next.dataset;
  next.m = number(f.m, real(LIMITS.coefficient.min, LIMITS.coefficient.max)) ?? next.m;
  next.c = number(f.c, real(LIMITS.coefficient.min, LIMITS.coefficient.max)) ?? next.c;
  next.samples = number(f.samples, integer(LIMITS.samples.min, LIMITS.samples.max)) ?? next.samples;
  next.noise = number(f.noise, real(LIMITS.noise.min, LIMITS.noise.max)) ?? next.noise;
  next.testRatio =
    number(f.testRatio, real(LIMITS.testRatio.min, LIMITS.testRatio.max)) ?? next.testRatio;
  next.seed = number(f.seed, integer(LIMITS.seed.min, LIMITS.seed.max)) ?? next.seed;
  const widths = parseWidths(f.hidden.value);
  f.hidden.classList.toggle('invalid', widths === undefined);
  next.hidden = widths ?? next.hidden;
  next.activation = pick(f.activation, ACTIVATIONS) ?? next.activation;
  next.optimizer = pick(f.optimizer, OPTIMIZERS) ?? next.optimizer;
  next.mode = pick(f.mode, MODES) ?? next.mode;
  next.batchSize =
    number(f.batchSize, integer(LIMITS.batchSize.min, LIMITS.batchSize.max)) ?? next.batchSize;
  next.learningRate =
    number(f.learningRate, real(LIMITS.learningRate.min, LIMITS.learningRate.max)) ??
    next.learningRate;
  next.l2 = number(f.l2, real(LIMITS.l2.min, LIMITS.l2.max)) ?? next.l2;
  next.regularization = pick(f.regularization, REGULARIZATIONS) ?? next.regularization;
  next.showTest = f.showTest.checked;
  next.discretize = f.discretize.checked;

  // A new problem type starts on its first data set; a new data set starts at its own noise.
  const problem = f.problem.value === 'regression' ? 'regression' : 'classification';
  if (problem !== (isRegression(next.dataset) ? 'regression' : 'classification')) {
    next.dataset = problem === 'regression' ? 'plane' : 'moons';
  }
  if (next.dataset !== current.dataset) next.noise = DEFAULT_NOISE[next.dataset];

  // Switching between classification and regression switches to a loss that fits.
  const allowed = isRegression(next.dataset) ? REGRESSION_LOSSES : CLASSIFICATION_LOSSES;
  const chosen = f.loss.value as PlaygroundState['loss'];
  next.loss = allowed.includes(chosen) ? chosen : (allowed[0] ?? next.loss);
  return next;
}
