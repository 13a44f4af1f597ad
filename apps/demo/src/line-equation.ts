/**
 * A number in at most six significant digits, without trailing zeros.
 *
 * @example
 * shortNumber(0.1 + 0.2); // '0.3'
 * shortNumber(1 / 3);     // '0.333333'
 */
export function shortNumber(n: number): string {
  return Number(n.toPrecision(6)).toString();
}

/**
 * The line y = m·x + c as text, with the sign of c folded in and at most six significant digits.
 *
 * @example
 * lineEquation(3, 4);     // 'y = 3x + 4'
 * lineEquation(-2, -0.5); // 'y = -2x - 0.5'
 */
export function lineEquation(m: number, c: number): string {
  return `y = ${shortNumber(m)}x ${c < 0 ? '-' : '+'} ${shortNumber(Math.abs(c))}`;
}
