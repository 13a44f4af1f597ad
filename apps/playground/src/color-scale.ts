/**
 * Colours of the two classes and of the decision map between them. Class 0 is orange and
 * class 1 blue, as in TensorFlow Playground; the map fades through near-white at the boundary.
 */

export type Rgb = readonly [number, number, number];

/** Point colours: class 0, class 1. */
export const CLASS_COLORS: readonly [Rgb, Rgb] = [
  [232, 137, 28],
  [31, 119, 180],
];

const HEAT_NEUTRAL: Rgb = [247, 247, 247];
/** Paler than the points, so the points stay visible on top of the map. */
const HEAT_CLASS: readonly [Rgb, Rgb] = [
  [246, 176, 100],
  [108, 166, 214],
];

/**
 * The map colour for a confidence t in [−1, 1]: −1 is class 0, +1 class 1, 0 the boundary.
 * Values outside the range are clamped, NaN shows as neutral.
 * @example
 *   heatColor(1);  // [108, 166, 214], the blue of class 1
 *   heatColor(0);  // [247, 247, 247]
 */
export function heatColor(t: number): Rgb {
  if (Number.isNaN(t)) return HEAT_NEUTRAL;
  const s = Math.max(-1, Math.min(1, t));
  const target = s < 0 ? HEAT_CLASS[0] : HEAT_CLASS[1];
  const w = Math.abs(s);
  return [
    Math.round(HEAT_NEUTRAL[0] + (target[0] - HEAT_NEUTRAL[0]) * w),
    Math.round(HEAT_NEUTRAL[1] + (target[1] - HEAT_NEUTRAL[1]) * w),
    Math.round(HEAT_NEUTRAL[2] + (target[2] - HEAT_NEUTRAL[2]) * w),
  ];
}

export function cssColor([r, g, b]: Rgb, alpha = 1): string {
  return alpha === 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
