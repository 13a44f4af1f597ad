/**
 * Losses: plain functions from predictions and targets to one `Value`. Each
 * sample's term is a node; the terms are combined by one n-ary `sum` node, then
 * divided by n for `reduction: 'mean'` (the default). A single term is the loss
 * itself, with no sum or division node (the same numbers, one node fewer).
 *
 * A prediction may be a `Value`, a number, or a one-element array of either, so a
 * model's output (`[score]`) can be passed as it is; `fit` passes outputs that way.
 */
import { mul, sub, sum, Value } from '@ag/core';
import {
  checkDense,
  checkInRange,
  checkInteger,
  checkKnownKeys,
  checkNonNegative,
  checkOptions,
  checkPositive,
  describe,
} from './argument-checks.js';

/** A number or a `Value`: what a loss accepts for one prediction. */
export type Scalar = Value | number;
/** One sample's prediction: a scalar or a model's one-output array. */
export type Prediction = Scalar | readonly Scalar[];

/** How a loss combines its per-sample terms: their mean, their sum, or none (one `Value` each). */
export type Reduction = 'mean' | 'sum' | 'none';

/** The options every loss takes. */
export interface LossOptions {
  /**
   * `mean` (default) divides the summed terms by n; `sum` keeps the sum;
   * `none` returns the terms, one `Value` per sample (PyTorch's `reduction='none'`).
   */
  reduction?: Reduction;
}

/**
 * What a loss returns for options `O`: `Value[]` for `reduction: 'none'` (the
 * literal, as written in the call), else one `Value`.
 */
export type Reduced<O> = O extends {
  /** `'none'`: one term per sample. */
  reduction: 'none';
}
  ? Value[]
  : Value;

/** The options of `softmaxCrossEntropy`: a reduction, class weights and label smoothing. */
export interface SoftmaxCrossEntropyOptions extends LossOptions {
  /**
   * Class weights w (k finite numbers ≥ 0), as PyTorch's `weight`: sample i's
   * term is multiplied by w[yᵢ] and `mean` divides by Σᵢ w[yᵢ] rather than n.
   */
  weight?: readonly number[];
  /**
   * ε in [0, 1], as PyTorch's `label_smoothing`: the target is (1 − ε)·one-hot
   * + ε/k, so the term is (1 − ε)·w[y]·(−log p_y) + (ε/k)·Σ_c w[c]·(−log p_c).
   */
  labelSmoothing?: number;
}

/** The options of `huber`: a reduction and the threshold δ. */
export interface HuberOptions extends LossOptions {
  /** Where the quadratic turns linear (default 1, as PyTorch). */
  delta?: number;
}

/**
 * The reduction of a loss's options bag. Checked on every call, so kept cheap:
 * no allocation unless the options are wrong.
 */
function reductionOf(options: unknown, fn: string, extras: readonly string[] = []): Reduction {
  if (options === undefined) return 'mean';
  // Messages are built only on the error path.
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    checkOptions(options, `${fn}(options)`);
  const o = options as Record<string, unknown>;
  // for…in also walks inherited keys; checkKnownKeys then judges own keys only.
  for (const key in o) {
    if (key !== 'reduction' && !extras.includes(key))
      checkKnownKeys(o, `${fn}(options)`, ['reduction', ...extras]);
  }
  const r = o.reduction;
  if (r !== undefined && r !== 'mean' && r !== 'sum' && r !== 'none') {
    throw new RangeError(
      `${fn}(options.reduction): expected 'mean', 'sum' or 'none', received ${describe(r)}`,
    );
  }
  return r ?? 'mean';
}

function scalarOf(p: unknown, fn: string, arg: string, i: number): Value | number {
  let x = p;
  if (Array.isArray(x)) {
    if (x.length !== 1) {
      throw new RangeError(
        `${fn}(${arg}[${i}]): expected a scalar or a one-element array, received an array of length ${x.length}`,
      );
    }
    x = x[0];
  }
  if (x instanceof Value) return x;
  if (typeof x === 'number') return x;
  throw new TypeError(`${fn}(${arg}[${i}]): expected a Value or a number, received ${describe(x)}`);
}

function checkPair(
  predictions: unknown,
  targets: unknown,
  fn: string,
  pArg = 'predictions',
  tArg = 'targets',
): number {
  if (!Array.isArray(predictions))
    throw new TypeError(`${fn}(${pArg}): expected an array, received ${describe(predictions)}`);
  if (!Array.isArray(targets))
    throw new TypeError(`${fn}(${tArg}): expected an array, received ${describe(targets)}`);
  if (predictions.length !== targets.length) {
    throw new RangeError(
      `${fn}: ${pArg} and ${tArg} must have the same length, received ${predictions.length} ${pArg} and ${targets.length} ${tArg}`,
    );
  }
  if (predictions.length === 0)
    throw new RangeError(`${fn}: expected at least one sample, received 0`);
  checkDense(predictions, `${fn}(${pArg})`, pArg);
  checkDense(targets, `${fn}(${tArg})`, tArg);
  return predictions.length;
}

function asValue(x: Value | number): Value {
  return x instanceof Value ? x : new Value(x, { requiresGrad: false });
}

function reduce<O>(terms: Value[], reduction: Reduction): Reduced<O> {
  return (reduction === 'none' ? terms : reduceToOne(terms, reduction)) as Reduced<O>;
}

function reduceToOne(terms: Value[], reduction: Reduction): Value {
  // One term is its own sum and its own mean (t/1 is t exactly, and so is its
  // gradient): no node is added for it, as in an online step.
  if (terms.length === 1) return terms[0] as Value;
  const total = sum(terms);
  return reduction === 'sum' ? total : total.div(terms.length);
}

/** pᵢ − yᵢ of sample i, each side a Value or a number. */
function difference(
  predictions: readonly Prediction[],
  targets: readonly Scalar[],
  fn: string,
  i: number,
): Value {
  return sub(
    scalarOf(predictions[i], fn, 'predictions', i),
    scalarOf(targets[i], fn, 'targets', i),
  );
}

/**
 * Squared error: Σ(pᵢ − yᵢ)², divided by n for `mean`.
 *
 * @example
 * const loss = mse([model.forward([2])], [17], { reduction: 'sum' });
 * loss.backward();
 */
export function mse<O extends LossOptions = Record<never, never>>(
  predictions: readonly Prediction[],
  targets: readonly Scalar[],
  options?: O,
): Reduced<O> {
  const reduction = reductionOf(options, 'mse');
  const n = checkPair(predictions, targets, 'mse');
  const terms: Value[] = [];
  for (let i = 0; i < n; i++) terms.push(difference(predictions, targets, 'mse', i).square());
  return reduce<O>(terms, reduction);
}

/**
 * Absolute error: Σ|pᵢ − yᵢ|, divided by n for `mean`.
 *
 * @example
 * const loss = mae([p1, p2], [1, 2]);
 * loss.backward();
 */
export function mae<O extends LossOptions = Record<never, never>>(
  predictions: readonly Prediction[],
  targets: readonly Scalar[],
  options?: O,
): Reduced<O> {
  const reduction = reductionOf(options, 'mae');
  const n = checkPair(predictions, targets, 'mae');
  const terms: Value[] = [];
  for (let i = 0; i < n; i++) terms.push(difference(predictions, targets, 'mae', i).abs());
  return reduce<O>(terms, reduction);
}

/**
 * Huber loss (PyTorch's HuberLoss): with d = pᵢ − yᵢ, ½d² where |d| < δ, else
 * δ·(|d| − ½δ); summed, divided by n for `mean`.
 *
 * @example
 * const loss = huber([p], [3], { delta: 0.5 });
 * loss.backward();
 */
export function huber<O extends HuberOptions = Record<never, never>>(
  predictions: readonly Prediction[],
  targets: readonly Scalar[],
  options?: O,
): Reduced<O> {
  const reduction = reductionOf(options, 'huber', ['delta']);
  const d0 = options?.delta;
  const delta = d0 === undefined ? 1 : checkPositive(d0, 'huber(options.delta)');
  const n = checkPair(predictions, targets, 'huber');
  const terms: Value[] = [];
  for (let i = 0; i < n; i++) {
    const d = difference(predictions, targets, 'huber', i);
    // With q = min(|d|, δ): ½q² + δ(|d| − q) is ½d² inside δ and δ(|d| − ½δ)
    // outside, written with ops rather than a branch on d.data, so a compiled
    // graph chooses the side afresh on every call.
    const a = d.abs();
    const q = a.min(delta);
    terms.push(q.square().mul(0.5).add(a.sub(q).mul(delta)));
  }
  return reduce<O>(terms, reduction);
}

/**
 * micrograd's SVM max-margin loss: Σ relu(1 − yᵢ·sᵢ) for labels yᵢ ∈ {−1, +1}
 * and scores sᵢ, divided by n for `mean` (micrograd's demo takes the mean).
 * Any other number label is a RangeError: a 0/1 label (`@ag/data`'s default;
 * ask for `labels: 'pm1'`) would train to chance without a word.
 *
 * @example
 * const loss = hinge(xs.map((x) => model.forward(x)), ys);
 * loss.backward();
 */
export function hinge<O extends LossOptions = Record<never, never>>(
  scores: readonly Prediction[],
  labels: readonly Scalar[],
  options?: O,
): Reduced<O> {
  const reduction = reductionOf(options, 'hinge');
  const n = checkPair(scores, labels, 'hinge', 'scores', 'labels');
  const terms: Value[] = [];
  for (let i = 0; i < n; i++) {
    const s = scalarOf(scores[i], 'hinge', 'scores', i);
    const y = scalarOf(labels[i], 'hinge', 'labels', i);
    // A 0/1 label would train silently to chance (relu(1 − 0·s) = 1 for every
    // score): only ±1 passes. The message is built only for a bad label.
    if (typeof y === 'number' && y !== 1 && y !== -1) badHingeLabel(y, i);
    terms.push(sub(1, mul(y, s)).relu());
  }
  return reduce<O>(terms, reduction);
}

function badHingeLabel(y: number, i: number): never {
  throw new RangeError(
    `hinge(labels[${i}]): expected -1 or 1, received ${describe(y)}` +
      (y === 0
        ? " (0/1 labels train to chance with hinge: map them with y => 2 * y - 1, or ask @ag/data's generators for labels: 'pm1')"
        : ''),
  );
}

/**
 * Binary cross-entropy from logits zᵢ and targets yᵢ ∈ [0, 1]:
 * −y·log σ(z) − (1 − y)·log(1 − σ(z)) = (1 − y)·softplus(z) + y·softplus(−z),
 * summed, divided by n for `mean`. Both terms are ≥ 0, so nothing cancels: the
 * loss keeps full relative precision at any z (z = 25, y = 1 gives
 * log1p(e⁻²⁵) = 1.3887943864867583e-11, where softplus(z) − y·z loses five
 * digits), softplus never overflows, and the gradient σ(z) − y is smooth at 0
 * (relu(z) − y·z + log1p(e^−|z|) would take relu′(0) = |·|′(0) = 0 there).
 *
 * @example
 * const loss = binaryCrossEntropyWithLogits([z], [1]);
 * loss.backward();
 */
export function binaryCrossEntropyWithLogits<O extends LossOptions = Record<never, never>>(
  logits: readonly Prediction[],
  targets: readonly Scalar[],
  options?: O,
): Reduced<O> {
  const fn = 'binaryCrossEntropyWithLogits';
  const reduction = reductionOf(options, fn);
  const n = checkPair(logits, targets, fn, 'logits', 'targets');
  const terms: Value[] = [];
  for (let i = 0; i < n; i++) {
    const z = asValue(scalarOf(logits[i], fn, 'logits', i));
    const y = scalarOf(targets[i], fn, 'targets', i);
    if (typeof y === 'number' && !(y >= 0 && y <= 1))
      checkInRange(y, `${fn}(targets[${i}])`, 0, 1, false);
    // softplus(z) − softplus(−z) = z turns softplus(z) − y·z into the sum below.
    const notY = typeof y === 'number' ? 1 - y : sub(1, y);
    terms.push(z.softplus().mul(notY).add(z.neg().softplus().mul(y)));
  }
  return reduce<O>(terms, reduction);
}

/**
 * Softmax cross-entropy over k logits per sample, with integer class targets:
 * Σ log Σⱼ e^{zⱼ} − z_{yᵢ}. The log-sum-exp is taken as m + log Σⱼ e^{zⱼ − m}
 * with m = maxⱼ zⱼ (a plain number), so no exponent overflows; the identity is
 * exact, so the gradient (softmax − one-hot) is too. Divided by n for `mean`.
 *
 * @example
 * const loss = softmaxCrossEntropy([model.forward(x)], [2]); // class 2 of k
 * loss.backward();
 */
export function softmaxCrossEntropy<O extends SoftmaxCrossEntropyOptions = Record<never, never>>(
  logits: readonly (readonly Scalar[])[],
  targets: readonly number[],
  options?: O,
): Reduced<O> {
  const fn = 'softmaxCrossEntropy';
  const reduction = reductionOf(options, fn, ['weight', 'labelSmoothing']);
  const { weight, smoothing } = softmaxExtras(options, fn);
  const n = checkPair(logits, targets, fn, 'logits', 'targets');
  const terms: Value[] = [];
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    const row = logits[i];
    if (!Array.isArray(row) || row.length === 0) {
      throw new TypeError(
        `${fn}(logits[${i}]): expected a non-empty array of k logits, received ${describe(row)}`,
      );
    }
    checkDense(row, `${fn}(logits)`, `logits[${i}]`);
    const z = row.map((x: unknown, j) => asValue(scalarOf(x as Scalar, fn, `logits[${i}]`, j)));
    const k = z.length;
    if (i > 0 && k !== (logits[0] as readonly Scalar[]).length) {
      throw new RangeError(
        `${fn}(logits[${i}]): expected ${(logits[0] as readonly Scalar[]).length} logits like logits[0], received ${k}`,
      );
    }
    const t: unknown = targets[i];
    const c =
      typeof t === 'number' && Number.isInteger(t) && t >= 0
        ? t
        : checkInteger(t, `${fn}(targets[${i}])`, 0);
    if (c >= k)
      throw new RangeError(
        `${fn}(targets[${i}]): expected a class index in [0, ${k - 1}], received ${c}`,
      );
    let m = -Infinity;
    for (const v of z) if (v.data > m) m = v.data;
    if (!Number.isFinite(m)) m = 0; // all logits −∞ or a NaN: let the arithmetic report it
    const lse = sum(z.map((v) => v.sub(m).exp()))
      .log()
      .add(m);
    if (weight === null && smoothing === 0) {
      terms.push(lse.sub(z[c] as Value));
      continue;
    }
    if (weight !== null && weight.length !== k)
      throw new RangeError(
        `${fn}(options.weight): expected ${k} class weights (one per logit), received ${weight.length}`,
      );
    // −log p_c = lse − z_c; PyTorch's (1 − ε)·w[y]·(−log p_y) + (ε/k)·Σ_c w[c]·(−log p_c).
    const wc = weight === null ? 1 : (weight[c] as number);
    let term = lse.sub(z[c] as Value).mul((1 - smoothing) * wc);
    if (smoothing !== 0) {
      const all = z.map((v, j) => lse.sub(v).mul(weight === null ? 1 : (weight[j] as number)));
      term = term.add(sum(all).mul(smoothing / k));
    }
    terms.push(term);
    weightSum += wc;
  }
  // Weighted mean, as PyTorch: divided by Σᵢ w[yᵢ], not by n.
  if (weight !== null && reduction === 'mean') {
    if (!(weightSum > 0))
      throw new RangeError(
        `${fn}(options.weight): the targets' class weights sum to ${weightSum}; a weighted mean needs a positive sum`,
      );
    return (terms.length === 1 ? terms[0]! : sum(terms)).div(weightSum) as Reduced<O>;
  }
  return reduce<O>(terms, reduction);
}

/** `softmaxCrossEntropy`'s class weights (null: none) and label smoothing ε, checked. */
function softmaxExtras(
  options: SoftmaxCrossEntropyOptions | undefined,
  fn: string,
): { weight: readonly number[] | null; smoothing: number } {
  const w: unknown = options?.weight;
  const e: unknown = options?.labelSmoothing;
  let weight: readonly number[] | null = null;
  if (w !== undefined) {
    if (!Array.isArray(w))
      throw new TypeError(
        `${fn}(options.weight): expected an array of class weights, received ${describe(w)}`,
      );
    checkDense(w, `${fn}(options.weight)`, 'weight');
    w.forEach((x: unknown, j) => checkNonNegative(x, `${fn}(options.weight[${j}])`));
    weight = w.slice() as number[];
  }
  const smoothing =
    e === undefined ? 0 : checkInRange(e, `${fn}(options.labelSmoothing)`, 0, 1, false);
  return { weight, smoothing };
}

/**
 * L2 penalty α·Σ pᵢ² (micrograd's `reg_loss`); add it to a data loss.
 *
 * @example
 * const total = hinge(scores, ys).add(l2Penalty(model.parameters(), 1e-4));
 * total.backward();
 */
export function l2Penalty(params: readonly Value[], alpha: number): Value {
  if (!Array.isArray(params))
    throw new TypeError(
      `l2Penalty(params): expected an array of Values, received ${describe(params)}`,
    );
  checkNonNegative(alpha, 'l2Penalty(alpha)');
  checkDense(params, 'l2Penalty(params)', 'params');
  if (params.length === 0) return new Value(0, { requiresGrad: false });
  const squares: Value[] = [];
  for (let i = 0; i < params.length; i++) {
    const p: unknown = params[i];
    if (!(p instanceof Value))
      throw new TypeError(`l2Penalty(params[${i}]): expected a Value, received ${describe(p)}`);
    squares.push(p.square());
  }
  return sum(squares).mul(alpha);
}
