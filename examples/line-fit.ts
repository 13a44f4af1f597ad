// The notebook's first model: fit y = m·x + c to noisy points of y = 3x + 4 with
// gradient descent, online (an update after every sample) and in batch (one update per
// pass over the data), and compare both with the least-squares line.
//
//   npx tsx line-fit.ts         (in this repository: pnpm examples line-fit)
import { linear } from '@ag/data';
import { Linear, SGD, fit, mse } from '@ag/nn';

// 100 points, x uniform in [0, 1), Gaussian noise of standard deviation 0.1; seeded, so
// every run sees the same points.
const data = linear({ samples: 100, slope: 3, intercept: 4, noise: 0.1, noiseType: 'gaussian' });

// The line that the descent should find: least squares, in closed form.
const xs = data.x.map(([x]) => x ?? NaN);
const n = xs.length;
const meanX = xs.reduce((s, x) => s + x, 0) / n;
const meanY = data.y.reduce((s, y) => s + y, 0) / n;
let sxy = 0;
let sxx = 0;
xs.forEach((x, i) => {
  sxy += (x - meanX) * ((data.y[i] ?? NaN) - meanY);
  sxx += (x - meanX) ** 2;
});
const best = { m: sxy / sxx, c: meanY - (sxy / sxx) * meanX };

function train(mode: 'online' | 'batch', lr: number, epochs: number) {
  const model = new Linear(1, 1); // weight[0][0] is m, bias[0] is c
  const { history } = fit({
    model,
    data,
    loss: mse,
    optimizer: new SGD(model.parameters(), { lr }),
    mode,
    epochs,
  });
  const [m, c] = model.parameters().map((p) => p.data);
  return { m: m ?? NaN, c: c ?? NaN, loss: history.at(-1) ?? NaN };
}

// Online descent with a constant rate keeps moving around the optimum by about the rate
// times the noise, so it lands near the least-squares line; batch descent converges to it.
const online = train('online', 0.05, 100);
const batch = train('batch', 0.5, 2000);

console.log(`least squares: m = ${best.m.toFixed(4)}, c = ${best.c.toFixed(4)}`);
console.log(`online SGD:    m = ${online.m.toFixed(4)}, c = ${online.c.toFixed(4)}`);
console.log(`batch descent: m = ${batch.m.toFixed(4)}, c = ${batch.c.toFixed(4)}`);

// The self-check: both land on the least-squares line (batch to 1e-6, online to the noise),
// and that line is within the noise of the true y = 3x + 4.
function expectNear(what: string, got: number, want: number, tolerance: number) {
  if (!(Math.abs(got - want) <= tolerance)) {
    throw new Error(`${what} = ${got}, expected ${want} ± ${tolerance}`);
  }
}
expectNear('batch m', batch.m, best.m, 1e-6);
expectNear('batch c', batch.c, best.c, 1e-6);
expectNear('online m', online.m, best.m, 0.05);
expectNear('online c', online.c, best.c, 0.05);
expectNear('least-squares m', best.m, 3, 0.1);
expectNear('least-squares c', best.c, 4, 0.1);
