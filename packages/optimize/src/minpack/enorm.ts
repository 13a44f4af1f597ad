/**
 * MINPACK's `enorm`: the Euclidean norm of x[from … from + n − 1], summed in
 * three ranges (small, intermediate, large components) so that neither
 * underflow nor overflow can spoil it. A port of the routine in MINPACK
 * (Moré, Garbow, Hillstrom, Argonne 1980).
 */

const rgiant = 2 ** 63.5;
const rdwarf = 0.5 / rgiant;

/** ‖x[from … from + n − 1]‖₂ without destructive underflow or overflow. */
export function enorm(n: number, x: ArrayLike<number>, from = 0): number {
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let x1max = 0;
  let x3max = 0;
  const agiant = rgiant / n;
  for (let i = from; i < from + n; i++) {
    const xabs = Math.abs(x[i] as number);
    if (xabs > rdwarf && xabs < agiant) {
      s2 += xabs * xabs;
    } else if (xabs > rdwarf) {
      // Large components, scaled by the largest so far.
      if (xabs > x1max) {
        s1 = 1 + s1 * (x1max / xabs) ** 2;
        x1max = xabs;
      } else {
        s1 += (xabs / x1max) ** 2;
      }
    } else if (xabs > x3max) {
      // Small components, likewise.
      s3 = 1 + s3 * (x3max / xabs) ** 2;
      x3max = xabs;
    } else if (xabs !== 0) {
      s3 += (xabs / x3max) ** 2;
    }
  }
  if (s1 !== 0) return x1max * Math.sqrt(s1 + s2 / x1max / x1max);
  if (s2 !== 0) {
    return s2 >= x3max
      ? Math.sqrt(s2 * (1 + (x3max / s2) * (x3max * s3)))
      : Math.sqrt(x3max * (s2 / x3max + x3max * s3));
  }
  return x3max * Math.sqrt(s3);
}
