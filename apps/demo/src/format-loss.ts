/**
 * A loss for the terminal: six decimals while they are readable, scientific notation once
 * the loss is tiny (below 1e-4) or huge (1e6 and up), and Infinity or NaN as they are.
 *
 * @example
 * formatLoss(0.5);    // '0.500000'
 * formatLoss(1.5e-7); // '1.5000e-7'
 */
export function formatLoss(loss: number): string {
  if (!Number.isFinite(loss)) return String(loss);
  const magnitude = Math.abs(loss);
  return loss !== 0 && (magnitude < 1e-4 || magnitude >= 1e6)
    ? loss.toExponential(4)
    : loss.toFixed(6);
}
