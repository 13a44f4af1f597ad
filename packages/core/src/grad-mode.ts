/**
 * Global switches of the engine: whether ops record a graph, and whether every
 * result is checked for NaN and infinities (anomaly mode).
 */

// Read directly by the ops on every call, so they are exported bindings, not getters.
export let gradEnabled = true;
export let anomalyEnabled = false;

/**
 * Whether ops record a graph right now (false inside {@link noGrad}).
 *
 * @example
 * noGrad(() => isGradEnabled()); // false
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording a graph: every result is a leaf that needs no
 * gradient, so evaluation costs only the arithmetic.
 *
 * @example
 * const accuracy = noGrad(() => evaluate(model, testSet));
 */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new TypeError(`noGrad(fn): expected a function, received ${typeof fn}`);
  }
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Whether anomaly mode is on.
 *
 * @example
 * detectAnomaly(() => isAnomalyDetectionEnabled()); // true
 */
export function isAnomalyDetectionEnabled(): boolean {
  return anomalyEnabled;
}

/**
 * Turns anomaly mode on or off: when on, any op whose result (forward) or
 * operand gradient (backward) is NaN or infinite throws an {@link AnomalyError}.
 *
 * @example
 * setAnomalyDetection(true);
 * new Value(-1).log(); // throws AnomalyError: log produced NaN from operand -1
 */
export function setAnomalyDetection(enabled: boolean): void {
  if (typeof enabled !== 'boolean') {
    throw new TypeError(
      `setAnomalyDetection(enabled): expected a boolean, received ${typeof enabled}`,
    );
  }
  anomalyEnabled = enabled;
}

/**
 * Runs `fn` with anomaly mode on, then restores the previous setting.
 *
 * @example
 * detectAnomaly(() => loss.backward()); // names the first op that made a NaN
 */
export function detectAnomaly<T>(fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new TypeError(`detectAnomaly(fn): expected a function, received ${typeof fn}`);
  }
  const previous = anomalyEnabled;
  anomalyEnabled = true;
  try {
    return fn();
  } finally {
    anomalyEnabled = previous;
  }
}

/**
 * Thrown in anomaly mode by the first op that produces NaN or ±Infinity.
 *
 * @example
 * try {
 *   detectAnomaly(() => new Value(-1).log());
 * } catch (error) {
 *   if (error instanceof AnomalyError) console.log(error.op, error.pass); // log forward
 * }
 */
export class AnomalyError extends Error {
  /** The op's name, as `Value.op` shows it. */
  readonly op: string;
  /** `'forward'` or `'backward'`. */
  readonly pass: 'forward' | 'backward';
  /** The data of the op's operands. */
  readonly operands: readonly number[];

  /** Made by the engine; `detail` says what was produced (`NaN`, `Infinity`). */
  constructor(
    op: string,
    pass: 'forward' | 'backward',
    operands: readonly number[],
    detail: string,
  ) {
    super(
      `${op} produced ${detail} in the ${pass} pass from operand${operands.length === 1 ? '' : 's'} ${operands.join(', ')}`,
    );
    this.name = 'AnomalyError';
    this.op = op;
    this.pass = pass;
    this.operands = operands;
  }
}
