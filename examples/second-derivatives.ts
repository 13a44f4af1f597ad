// Derivatives of derivatives: the backward pass built as a graph (`createGraph`) and
// differentiated again, JAX's `grad(grad(f))`, the Hessian, Hessian-vector and
// Jacobian-vector products, all checked against derivatives worked out by hand, and
// Newton's method driven by a second derivative.
//
//   npx tsx second-derivatives.ts (in this repository: pnpm examples second-derivatives)
import { grad, gradients, hessian, hvp, jvp, Value } from '@ag/core';

// f(x, y) = x³y + sin x. By hand: fx = 3x²y + cos x, fy = x³,
// fxx = 6xy − sin x, fxy = 3x², fyy = 0.
const f = (p: Value[]) => {
  const [x, y] = p as [Value, Value];
  return x.pow(3).mul(y).add(x.sin());
};
const [x0, y0] = [0.7, -1.3];
const H = [
  [6 * x0 * y0 - Math.sin(x0), 3 * x0 ** 2],
  [3 * x0 ** 2, 0],
] as const;
const v = [0.5, 2] as const;

function expectNear(what: string, got: number | undefined, want: number | undefined) {
  if (!(Math.abs((got ?? NaN) - (want ?? NaN)) <= 1e-12)) {
    throw new Error(`${what} = ${got}, expected ${want}`);
  }
  console.log(`${what.padEnd(14)} ${(got ?? NaN).toFixed(12)}`);
}

// 1. gradients with createGraph: the first derivatives are Values computed from x and y,
// so differentiating fx again gives the first row of the Hessian.
const x = new Value(x0);
const y = new Value(y0);
const [fx, fy] = gradients(f([x, y]), [x, y], { createGraph: true }) as [Value, Value];
expectNear('fx', fx.data, 3 * x0 ** 2 * y0 + Math.cos(x0));
expectNear('fy', fy.data, x0 ** 3);
const [fxx, fxy] = gradients(fx, [x, y]);
expectNear('fxx', fxx?.data, H[0][0]);
expectNear('fxy', fxy?.data, H[0][1]);

// 2. The same row as a function: grad of (the first entry of grad f).
const row = grad((p) => grad(f)(p)[0] as Value)([x0, y0]);
row.forEach((d, j) => expectNear(`grad(grad f)${j}`, d.data, H[0][j]));

// 3. The whole Hessian, H·v without forming H, and forward mode's ∇f·v.
hessian(f, [x0, y0]).forEach((r, i) => r.forEach((h, j) => expectNear(`H${i}${j}`, h, H[i]?.[j])));
const Hv = hvp(f, [x0, y0], v);
H.forEach((r, i) => expectNear(`(H·v)${i}`, Hv[i], r[0] * v[0] + r[1] * v[1]));
const { tangents } = jvp(f, [x0, y0], v);
expectNear('∇f·v', tangents[0], fx.data * v[0] + fy.data * v[1]);

// 4. Newton's method for the minimum of g(t) = eᵗ − 2t (at t = ln 2):
// t ← t − g′(t)/g″(t), each step doubling the correct digits.
const g = (p: Value[]) => (p[0] as Value).exp().sub((p[0] as Value).mul(2));
const dg = (p: Value[]) => grad(g)(p)[0] as Value;
let t = 0;
for (let step = 1; step <= 6; step++) {
  t -= dg([new Value(t)]).data / (grad(dg)([t])[0]?.data ?? NaN);
  console.log(
    `Newton step ${step}: t = ${t.toFixed(16)}, error ${Math.abs(t - Math.LN2).toExponential(1)}`,
  );
}
expectNear('argmin g', t, Math.LN2);
