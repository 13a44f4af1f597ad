/**
 * The test functions of `minimize` (Rosenbrock, Beale, Himmelblau, a
 * logistic-regression loss), as scripts/scipy-reference.py writes them; used
 * by the tests and by `pnpm bench --only solvers`.
 */
import { sum, type Value } from '@ag/core';

export const rosenbrock = (p: Value[]): Value =>
  sum(
    p
      .slice(0, -1)
      .map((a, i) => p[i + 1]!.sub(a.square()).square().mul(100).add(a.neg().add(1).square())),
  );
export const beale = ([x, y]: Value[]): Value =>
  sum(
    [1.5, 2.25, 2.625].map((c, k) =>
      x!
        .mul(y!.pow(k + 1))
        .sub(x!)
        .add(c)
        .square(),
    ),
  );
export const himmelblau = ([x, y]: Value[]): Value =>
  x!.square().add(y!).sub(11).square().add(x!.add(y!.square()).sub(7).square());

/** The same 40 samples as scripts/scipy-reference.py's logistic_data. */
export function logisticData(): { xs: number[][]; ys: number[] } {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < 40; i++) {
    const row = [0, 1, 2].map((j) => Math.sin(1.7 * i + 0.9 * j + 0.3) * (1 + 0.5 * j));
    xs.push(row);
    ys.push(row[0]! - 0.5 * row[1]! + 0.3 * row[2]! + 0.2 + 0.8 * Math.sin(5.3 * i) > 0 ? 1 : 0);
  }
  return { xs, ys };
}
const { xs, ys } = logisticData();
/** Mean logistic loss softplus(z) − y·z, z = w·x + b, plus 0.01·‖w‖². */
export const logistic = (p: Value[]): Value => {
  const terms = xs.map((row, i) => {
    const z = sum(row.map((v, j) => p[j]!.mul(v))).add(p[3]!);
    return z.softplus().sub(z.mul(ys[i]!));
  });
  return sum(terms)
    .div(xs.length)
    .add(sum(p.slice(0, 3).map((w) => w.square())).mul(0.01));
};

export const functions: Record<string, (p: Value[]) => Value> = {
  rosenbrock2: rosenbrock,
  rosenbrock10: rosenbrock,
  beale,
  himmelblau,
  logistic,
};
