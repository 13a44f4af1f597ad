import { Value, sub, sum } from '@ag/core';
import type { EpochState, LineFitSetup } from './notebook-gradient.js';

/**
 * The notebook's fit again, with the derivatives left to `backward()`: build
 * L = Σ (y − (m·x + c))², call `backward()`, step m and c against their `grad`.
 * Same setup and same log as `handDerivedFit`, so the two can be compared epoch by epoch.
 *
 * @example
 * const log = valueFit({ xs: [2, 5], ys: [10, 19], m: 0, c: 0, lr: 0.02, epochs: 500, mode: 'batch' });
 * log[499]; // { epoch: 500, loss: ≈0, m: ≈3, c: ≈4 }
 */
export function valueFit(setup: LineFitSetup): EpochState[] {
  const { xs, ys, lr, epochs, mode } = setup;
  const m = new Value(setup.m, { label: 'm' });
  const c = new Value(setup.c, { label: 'c' });
  const squaredError = (i: number): Value => {
    const error = sub(ys[i] ?? 0, m.mul(xs[i] ?? 0).add(c));
    return error.mul(error);
  };
  const step = (): void => {
    m.data -= lr * m.grad;
    c.data -= lr * c.grad;
  };
  const log: EpochState[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    let loss = 0;
    if (mode === 'online') {
      for (let i = 0; i < xs.length; i++) {
        const sampleLoss = squaredError(i);
        m.zeroGrad();
        c.zeroGrad();
        sampleLoss.backward();
        step();
        loss += sampleLoss.data;
      }
    } else {
      const total = sum(xs.map((_, i) => squaredError(i)));
      m.zeroGrad();
      c.zeroGrad();
      total.backward();
      step();
      loss = total.data;
    }
    log.push({ epoch, loss, m: m.data, c: c.data });
  }
  return log;
}

/**
 * Largest difference between two logs over loss, m and c, relative to the size of the
 * numbers (so 0 means the two loops agree to the last bit).
 *
 * @example
 * maxRelativeDifference(handDerivedFit(setup), valueFit(setup)); // 0
 */
export function maxRelativeDifference(a: readonly EpochState[], b: readonly EpochState[]): number {
  let worst = a.length === b.length ? 0 : Number.POSITIVE_INFINITY;
  a.forEach((s, i) => {
    const t = b[i];
    if (t === undefined) return;
    for (const [p, q] of [
      [s.loss, t.loss],
      [s.m, t.m],
      [s.c, t.c],
    ] as const) {
      const d = Math.abs(p - q) / Math.max(1, Math.abs(p), Math.abs(q));
      worst = Math.max(worst, d);
    }
  });
  return worst;
}
