import { formatLoss } from './format-loss.js';

/** A final loss this many times the first epoch's means the steps overshot and grew. */
const DIVERGED_FACTOR = 100;

/**
 * Whether a run blew up: its final loss is not finite, or far above the first epoch's.
 * Returns the one-line message for the user, or undefined for a run that did not diverge.
 *
 * @example
 * divergence([0.5, 0.1, 0.01]);   // undefined
 * divergence([0.5, 40, 1.5e19]);  // 'diverged: final loss 1.5000e+19; try a smaller --lr'
 */
export function divergence(history: readonly number[]): string | undefined {
  const first = history[0];
  const last = history[history.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const blewUp = !Number.isFinite(last) || (last > DIVERGED_FACTOR * first && last > 0);
  return blewUp ? `diverged: final loss ${formatLoss(last)}; try a smaller --lr` : undefined;
}

/** A run that trained but diverged: the CLI prints the message and exits with code 1. */
export class DivergedError extends Error {
  override readonly name = 'DivergedError';
}
