/**
 * The line y = m·x + c as text, with the sign of c folded in and at most six significant digits.
 *
 * @example
 * lineEquation(3, 4);     // 'y = 3x + 4'
 * lineEquation(-2, -0.5); // 'y = -2x - 0.5'
 */
export function lineEquation(m: number, c: number): string {
  const short = (n: number): string => Number(n.toPrecision(6)).toString();
  return `y = ${short(m)}x ${c < 0 ? '-' : '+'} ${short(Math.abs(c))}`;
}
