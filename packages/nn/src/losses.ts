/**
 * Losses: plain functions from predictions and targets to one `Value`. Each
 * sample's term is a node; the terms are combined by one n-ary `sum` node, then
 * divided by n for `reduction: 'mean'` (the default).
 *
 * A prediction may be a `Value`, a number, or a one-element array of either, so a
 * model's output (`[score]`) can be passed as it is; `fit` passes outputs that way.
 */
import { mul, sub, sum, Value } from '@ag/core';
import {
  checkFinite,
  checkInRange,
  checkInteger,
  checkKnownKeys,
  checkNonNegative,
  checkOptions,
  checkPositive,
  describe,
} from './argument-checks.js';

export type Scalar = Value | number;
/** One sample's prediction: a scalar or a model's one-output array. */
export type Prediction = Scalar | readonly Scalar[];

export type Reduction = 'mean' | 'sum';

export interface LossOptions {
  /** `mean` (default) divides the summed terms by n; `sum` keeps the sum. */
  reduction?: Reduction;
}

export interface HuberOptions extends LossOptions {
  /** Where the quadratic turns linear (default 1, as PyTorch). */
  delta?: number;
}

function reductionOf(
  options: unknown,
  fn: string,
  extra: readonly string[] = [],
): { reduction: Reduction; o: Record<string, unknown> } {
  const o = checkOptions(options, `${fn}(options)`);
  checkKnownKeys(o, `${fn}(options)`, ['reduction', ...extra]);
  const r = o.reduction;
  if (r !== undefined && r !== 'mean' && r !== 'sum') {
    throw new RangeError(
      `${fn}(options.reduction): expected 'mean' or 'sum', received ${describe(r)}`,
    );
  }
  return { reduction: r ?? 'mean', o };
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
  return predictions.length;
}

function asValue(x: Value | number): Value {
  return x instanceof Value ? x : new Value(x, { requiresGrad: false });
}

function reduce(terms: Value[], reduction: Reduction): Value {
  const total = sum(terms);
  return reduction === 'sum' ? total : total.div(terms.length);
}

/** Per-sample terms f(pᵢ, yᵢ) for the scalar losses. */
function pointwise(
  predictions: readonly Prediction[],
  targets: readonly Scalar[],
  fn: string,
  term: (p: Value | number, y: Value | number, i: number) => Value,
): Value[] {
  const n = checkPair(predictions, targets, fn);
  const terms: Value[] = [];
  for (let i = 0; i < n; i++) {
    terms.push(
      term(
        scalarOf(predictions[i], fn, 'predictions', i),
        scalarOf(targets[i], fn, 'targets', i),
        i,
      ),
    );
  }
  return terms;
}

/**
 * Squared error: Σ(pᵢ − yᵢ)², divided by n for `mean`.
 *
 * @example
 * const loss = mse([model.forward([2])], [17], { reduction: 'sum' });
 * loss.backward();
 */
export function mse(
  predictions: readonly Prediction[],
  targets: readonly Scalar[],
  options?: LossOptions,
): Value {
  const { reduction } = reductionOf(options, 'mse');
  return reduce(
    pointwise(predictions, targets, 'mse', (p, y) => sub(p, y).square()),
    reduction,
  );
}

/**
 * Absolute error: Σ|pᵢ − yᵢ|, divided by n for `mean`.
 *
 * @example
 * const loss = mae([p1, p2], [1, 2]);
 * loss.backward();
 */
export function mae(
  predictions: readonly Prediction[],
  targets: readonly Scalar[],
  options?: LossOptions,
): Value {
  const { reduction } = reductionOf(options, 'mae');
  return reduce(
    pointwise(predictions, targets, 'mae', (p, y) => sub(p, y).abs()),
    reduction,
  );
}

/**
 * Huber loss (PyTorch's HuberLoss): with d = pᵢ − yᵢ, ½d² where |d| < δ, else
 * δ·(|d| − ½δ); summed, divided by n for `mean`.
 *
 * @example
 * const loss = huber([p], [3], { delta: 0.5 });
 * loss.backward();
 */
export function huber(
  predictions: readonly Prediction[],
  targets: readonly Scalar[],
  options?: HuberOptions,
): Value {
  const { reduction, o } = reductionOf(options, 'huber', ['delta']);
  const delta = o.delta === undefined ? 1 : checkPositive(o.delta, 'huber(options.delta)');
  const terms = pointwise(predictions, targets, 'huber', (p, y) => {
    const d = sub(p, y);
    // The branch is chosen on the number; each branch's gradient is exact on its side.
    return Math.abs(d.data) < delta
      ? d.square().mul(0.5)
      : d
          .abs()
          .sub(0.5 * delta)
          .mul(delta);
  });
  return reduce(terms, reduction);
}

/**
 * micrograd's SVM max-margin loss: Σ relu(1 − yᵢ·sᵢ) for labels yᵢ ∈ {−1, +1}
 * and scores sᵢ, divided by n for `mean` (micrograd's demo takes the mean).
 *
 * @example
 * const loss = hinge(xs.map((x) => model.forward(x)), ys);
 * loss.backward();
 */
export function hinge(
  scores: readonly Prediction[],
  labels: readonly Scalar[],
  options?: LossOptions,
): Value {
  const { reduction } = reductionOf(options, 'hinge');
  const n = checkPair(scores, labels, 'hinge', 'scores', 'labels');
  const terms: Value[] = [];
  for (let i = 0; i < n; i++) {
    const s = scalarOf(scores[i], 'hinge', 'scores', i);
    const y = scalarOf(labels[i], 'hinge', 'labels', i);
    if (typeof y === 'number') checkFinite(y, `hinge(labels[${i}])`);
    terms.push(sub(1, mul(y, s)).relu());
  }
  return reduce(terms, reduction);
}

/**
 * Binary cross-entropy from logits zᵢ and targets yᵢ ∈ [0, 1]:
 * Σ softplus(zᵢ) − yᵢ·zᵢ (= −y·log σ(z) − (1 − y)·log(1 − σ(z))), computed through
 * the stable softplus so a large |z| never overflows; divided by n for `mean`.
 *
 * @example
 * const loss = binaryCrossEntropyWithLogits([z], [1]);
 * loss.backward();
 */
export function binaryCrossEntropyWithLogits(
  logits: readonly Prediction[],
  targets: readonly Scalar[],
  options?: LossOptions,
): Value {
  const fn = 'binaryCrossEntropyWithLogits';
  const { reduction } = reductionOf(options, fn);
  const n = checkPair(logits, targets, fn, 'logits', 'targets');
  const terms: Value[] = [];
  for (let i = 0; i < n; i++) {
    const z = asValue(scalarOf(logits[i], fn, 'logits', i));
    const y = scalarOf(targets[i], fn, 'targets', i);
    if (typeof y === 'number') checkInRange(y, `${fn}(targets[${i}])`, 0, 1, false);
    terms.push(z.softplus().sub(z.mul(y)));
  }
  return reduce(terms, reduction);
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
export function softmaxCrossEntropy(
  logits: readonly (readonly Scalar[])[],
  targets: readonly number[],
  options?: LossOptions,
): Value {
  const fn = 'softmaxCrossEntropy';
  const { reduction } = reductionOf(options, fn);
  const n = checkPair(logits, targets, fn, 'logits', 'targets');
  const terms: Value[] = [];
  for (let i = 0; i < n; i++) {
    const row = logits[i];
    if (!Array.isArray(row) || row.length === 0) {
      throw new TypeError(
        `${fn}(logits[${i}]): expected a non-empty array of k logits, received ${describe(row)}`,
      );
    }
    const z = row.map((x: unknown, j) => asValue(scalarOf(x as Scalar, fn, `logits[${i}]`, j)));
    const k = z.length;
    if (i > 0 && k !== (logits[0] as readonly Scalar[]).length) {
      throw new RangeError(
        `${fn}(logits[${i}]): expected ${(logits[0] as readonly Scalar[]).length} logits like logits[0], received ${k}`,
      );
    }
    const c = checkInteger(targets[i], `${fn}(targets[${i}])`, 0);
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
    terms.push(lse.sub(z[c] as Value));
  }
  return reduce(terms, reduction);
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
  if (params.length === 0) return new Value(0, { requiresGrad: false });
  const squares = params.map((p, i) => {
    if (!(p instanceof Value))
      throw new TypeError(`l2Penalty(params[${i}]): expected a Value, received ${describe(p)}`);
    return p.square();
  });
  return sum(squares).mul(alpha);
}
