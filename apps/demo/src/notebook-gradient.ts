import { formatLoss } from './format-loss.js';

/** One line of the notebook's log: the state after `epoch` passes over the samples. */
export interface EpochState {
  epoch: number;
  /** Squared error summed over the pass, each term taken with the parameters of its moment. */
  loss: number;
  m: number;
  c: number;
}

export interface LineFitSetup {
  xs: readonly number[];
  ys: readonly number[];
  m: number;
  c: number;
  lr: number;
  epochs: number;
  /** online: update after every sample; batch: one update per pass with the summed gradient. */
  mode: 'online' | 'batch';
}

/**
 * The notebook's gradient descent on y ≈ m·x + c, derived by hand, with no autodiff:
 * L = Σ (y − ŷ)², ŷ = m·x + c, so ∂L/∂m = −2·Σ x·(y − ŷ) and ∂L/∂c = −2·Σ (y − ŷ).
 * Returns the state after every epoch.
 *
 * @example
 * const log = handDerivedFit({ xs: [2, 5], ys: [10, 19], m: 0, c: 0, lr: 0.02, epochs: 500, mode: 'online' });
 * log[499]; // { epoch: 500, loss: ≈0, m: ≈3, c: ≈4 }
 */
export function handDerivedFit(setup: LineFitSetup): EpochState[] {
  const { xs, ys, lr, epochs, mode } = setup;
  let { m, c } = setup;
  const log: EpochState[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    let loss = 0;
    let dm = 0;
    let dc = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] ?? 0;
      const error = (ys[i] ?? 0) - (m * x + c);
      loss += error * error;
      const gm = -2 * x * error;
      const gc = -2 * error;
      if (mode === 'online') {
        m -= lr * gm;
        c -= lr * gc;
      } else {
        dm += gm;
        dc += gc;
      }
    }
    if (mode === 'batch') {
      m -= lr * dm;
      c -= lr * dc;
    }
    log.push({ epoch, loss, m, c });
  }
  return log;
}

/**
 * The notebook's log line, `Epoch: N, Loss: …, m: …, c: …`.
 *
 * @example
 * formatEpoch({ epoch: 100, loss: 0.5, m: 2.9, c: 4.25 });
 * // 'Epoch: 100, Loss: 0.500000, m: 2.900000, c: 4.250000'
 */
export function formatEpoch(state: EpochState): string {
  return `Epoch: ${state.epoch}, Loss: ${formatLoss(state.loss)}, m: ${state.m.toFixed(6)}, c: ${state.c.toFixed(6)}`;
}
