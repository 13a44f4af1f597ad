/**
 * Round tick positions inside [lo, hi], about `count` of them, spaced 1, 2 or 5 times a
 * power of ten apart.
 * @example
 *   niceTicks(0, 1, 5);   // [0, 0.2, 0.4, 0.6, 0.8, 1]
 *   niceTicks(-3, 17, 4); // [0, 5, 10, 15]
 */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi) || !(count >= 1)) return [];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * power;
  const ticks: number[] = [];
  // Multiply instead of accumulating, so 0.1 + 0.2 style drift never adds up.
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
    ticks.push(Number((k * step).toPrecision(12)));
  }
  return ticks;
}

/** A tick label without floating-point noise: 0.30000000000000004 shows as 0.3. */
export function formatTick(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/**
 * The powers of ten in [lo, hi] (for a log axis); the two ends if there is none.
 * @example
 *   decades(0.003, 2);  // [0.01, 0.1, 1]
 *   decades(0.2, 0.6);  // [0.2, 0.6]
 */
export function decades(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi)) return [];
  const ticks: number[] = [];
  for (let k = Math.ceil(Math.log10(lo) - 1e-9); k <= Math.floor(Math.log10(hi) + 1e-9); k++) {
    ticks.push(Number((10 ** k).toPrecision(12)));
  }
  return ticks.length > 0 ? ticks : [lo, hi];
}
