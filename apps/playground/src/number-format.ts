/**
 * Four decimals, as micrograd's graphs print them; exponent form where four decimals
 * would hide the number.
 * @example
 *   formatNumber(138.83381924198252); // '138.8338'
 *   formatNumber(1.5e-7);             // '1.500e-7'
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e7 || a < 5e-5)) return x.toExponential(3);
  return x.toFixed(4);
}
